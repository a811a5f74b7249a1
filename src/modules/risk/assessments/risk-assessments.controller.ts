import { Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { Bulkhead } from '../../../guards/bulkhead/bulkhead.decorator';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../../openapi/zod-openapi.decorators';
import { type VenueParams, venueParamsSchema } from '../../venues/dto/venue-params.dto';
import {
  type AssessmentRequest,
  assessmentRequestSchema,
  type OverrideRequest,
  overrideRequestSchema,
  riskAssessmentSchema,
  type RiskAssessmentView,
  type VenueRiskQuery,
  venueRiskQuerySchema,
  venueRiskSchema,
  type VenueRiskView,
} from '../dto/risk.dto';
import { RiskAssessmentsService } from './risk-assessments.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('risk')
@Idempotent()
@Controller('api/v1')
export class RiskAssessmentsController {
  constructor(private readonly assessments: RiskAssessmentsService) {}

  @Post('risk/assessments')
  @Bulkhead('risk')
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiJsonBody(assessmentRequestSchema)
  @ApiResult(201, 'The new assessment: score 0–100, level, and every factor with its points and evidence; the venue\'s verification follows its level', riskAssessmentSchema)
  @ApiProblems(400, 401, 403, 404)
  assess(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(assessmentRequestSchema) body: AssessmentRequest): Promise<RiskAssessmentView> {
    return this.assessments.assess(principal, body.venueId);
  }

  @Get('venues/:venueId/risk')
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiPathParams(venueParamsSchema)
  @ApiQueryFrom(venueRiskQuerySchema)
  @ApiResult(200, 'The effective level and its source, the latest assessment, the latest override and the assessment history (newest first)', venueRiskSchema)
  @ApiProblems(400, 401, 403, 404)
  venueRisk(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams, @ValidQuery(venueRiskQuerySchema) query: VenueRiskQuery): Promise<VenueRiskView> {
    return this.assessments.venueRisk(principal, params.venueId, query);
  }

  @Post('venues/:venueId/risk/override')
  @Roles('compliance_manager', 'admin')
  @ApiPathParams(venueParamsSchema)
  @ApiJsonBody(overrideRequestSchema)
  @ApiResult(201, 'The venue\'s risk with the override in force until it expires', venueRiskSchema)
  @ApiProblems(400, 401, 403, 404, 422)
  override(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams, @ValidBody(overrideRequestSchema) body: OverrideRequest): Promise<VenueRiskView> {
    return this.assessments.override(principal, params.venueId, body);
  }
}
