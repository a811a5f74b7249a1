import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { Page } from '../../../common/pagination';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../../openapi/zod-openapi.decorators';
import { type IdParams, idParamsSchema } from '../../venues/dto/venue-params.dto';
import {
  type FlagCreateRequest,
  flagCreateSchema,
  type FlagQuery,
  flagQuerySchema,
  type FlagResolveRequest,
  flagResolveSchema,
  riskFlagPageSchema,
  riskFlagSchema,
  type RiskFlagView,
} from '../dto/risk-flag.dto';
import { RiskFlagsService } from './risk-flags.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('risk')
@Idempotent()
@Controller('api/v1/risk/flags')
export class RiskFlagsController {
  constructor(private readonly flags: RiskFlagsService) {}

  @Post()
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiJsonBody(flagCreateSchema)
  @ApiResult(201, 'The new open flag; it counts in the venue\'s next assessment', riskFlagSchema)
  @ApiProblems(400, 401, 403, 404)
  raise(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(flagCreateSchema) body: FlagCreateRequest): Promise<RiskFlagView> {
    return this.flags.raise(principal, body);
  }

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiQueryFrom(flagQuerySchema)
  @ApiResult(200, 'This tenant\'s risk flags, newest first', riskFlagPageSchema)
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: RequestPrincipal, @ValidQuery(flagQuerySchema) query: FlagQuery): Promise<Page<RiskFlagView>> {
    return this.flags.list(principal, query);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(flagResolveSchema)
  @ApiResult(200, 'The resolved flag with who resolved it and why', riskFlagSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  resolve(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(flagResolveSchema) body: FlagResolveRequest): Promise<RiskFlagView> {
    return this.flags.resolve(principal, params.id, body.note);
  }
}
