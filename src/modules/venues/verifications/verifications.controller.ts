import { Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../../openapi/zod-openapi.decorators';
import {
  type DecisionRequest,
  decisionSchema,
  type ReviewQueueQuery,
  reviewQueueQuerySchema,
  reviewQueueSchema,
  verificationListSchema,
  type VerificationSubmission,
  verificationSubmissionSchema,
  type VerificationView,
  verificationViewSchema,
} from '../dto/verification.dto';
import { type IdParams, idParamsSchema, type VenueParams, venueParamsSchema } from '../dto/venue-params.dto';
import { VerificationDecisionsService } from './verification-decisions.service';
import { VerificationsService } from './verifications.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('verifications')
@Idempotent()
@Controller('api/v1')
export class VerificationsController {
  constructor(
    private readonly verifications: VerificationsService,
    private readonly decisions: VerificationDecisionsService,
  ) {}

  @Post('venues/:venueId/verifications')
  @Roles('venue_owner', 'compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(venueParamsSchema)
  @ApiJsonBody(verificationSubmissionSchema)
  @ApiResult(201, 'The new verification, pending, with its requirements checklist', verificationViewSchema)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  start(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams, @ValidBody(verificationSubmissionSchema) body: VerificationSubmission): Promise<VerificationView> {
    return this.verifications.start(principal, params.venueId, body);
  }

  @Get('venues/:venueId/verifications')
  @Roles('venue_owner', 'compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(venueParamsSchema)
  @ApiResult(200, 'The venue\'s verifications, newest first', verificationListSchema)
  @ApiProblems(400, 401, 403, 404)
  async listForVenue(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams): Promise<{ items: VerificationView[] }> {
    return { items: await this.verifications.listForVenue(principal, params.venueId) };
  }

  @Get('verifications/:id')
  @Roles('venue_owner', 'compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'The verification with its checklist, owners and decisions (EIN masked)', verificationViewSchema)
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<VerificationView> {
    return this.verifications.get(principal, params.id);
  }

  @Put('verifications/:id')
  @Roles('venue_owner', 'compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(verificationSubmissionSchema)
  @ApiResult(200, 'Resubmitted after an officer requested changes: back to pending, a new review round', verificationViewSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  resubmit(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(verificationSubmissionSchema) body: VerificationSubmission): Promise<VerificationView> {
    return this.verifications.resubmit(principal, params.id, body);
  }

  @Post('verifications/:id/decisions')
  @HttpCode(200)
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(decisionSchema)
  @ApiResult(200, 'The verification after the decision (a first four-eyes approval leaves it in review)', verificationViewSchema)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  decide(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(decisionSchema) body: DecisionRequest): Promise<VerificationView> {
    return this.decisions.decide(principal, params.id, body);
  }

  @Get('review-queue')
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiQueryFrom(reviewQueueQuerySchema)
  @ApiResult(200, 'Verifications waiting for a decision, oldest first, with the count of overdue ones', reviewQueueSchema)
  @ApiProblems(400, 401, 403)
  queue(@CurrentPrincipal() principal: RequestPrincipal, @ValidQuery(reviewQueueQuerySchema) query: ReviewQueueQuery): ReturnType<VerificationDecisionsService['queue']> {
    return this.decisions.queue(principal, query);
  }
}
