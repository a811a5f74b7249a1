import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiResult, ValidBody, ValidParams } from '../../../openapi/zod-openapi.decorators';
import { type FactorKeyParams, factorKeyParamsSchema, riskWeightListSchema, riskWeightSchema, type RiskWeightView, type WeightUpdate, weightUpdateSchema } from '../dto/risk.dto';
import { RiskWeightsService } from './risk-weights.service';

@ApiTags('risk')
@Controller('api/v1/risk/weights')
export class RiskWeightsController {
  constructor(private readonly weights: RiskWeightsService) {}

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiResult(200, 'Every risk factor with the points this tenant\'s assessments give it', riskWeightListSchema)
  @ApiProblems(401, 403)
  async list(@CurrentPrincipal() principal: RequestPrincipal): Promise<{ items: RiskWeightView[] }> {
    return { items: await this.weights.list(principal) };
  }

  @Put(':factorKey')
  @Roles('compliance_manager', 'admin')
  @ApiPathParams(factorKeyParamsSchema)
  @ApiJsonBody(weightUpdateSchema)
  @ApiResult(200, 'The factor with this tenant\'s points (assessments from now on use them)', riskWeightSchema)
  @ApiProblems(400, 401, 403, 404)
  save(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(factorKeyParamsSchema) params: FactorKeyParams, @ValidBody(weightUpdateSchema) body: WeightUpdate): Promise<RiskWeightView> {
    return this.weights.save(principal, params.factorKey, body.points);
  }
}
