import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { Bulkhead } from '../../../guards/bulkhead/bulkhead.decorator';
import { Criticality } from '../../../guards/load-shedding/criticality.decorator';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../../openapi/zod-openapi.decorators';
import {
  type BatchScreeningRequest,
  batchScreeningRequestSchema,
  batchScreeningViewSchema,
  type DispositionRequest,
  dispositionRequestSchema,
  type DispositionView,
  dispositionViewSchema,
  type MatchParams,
  matchParamsSchema,
  type ScreeningParams,
  screeningParamsSchema,
  type ScreeningRequest,
  screeningRequestSchema,
  type ScreeningView,
  screeningViewSchema,
  type VerificationScreeningsQuery,
  verificationScreeningsQuerySchema,
} from '../dto/screening.dto';
import { ScreeningDispositionsService } from './screening-dispositions.service';
import { ScreeningsService } from './screenings.service';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('sanctions')
@Idempotent()
@Controller('api/v1/screenings')
export class ScreeningsController {
  constructor(
    private readonly screenings: ScreeningsService,
    private readonly dispositions: ScreeningDispositionsService,
  ) {}

  @Post()
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiJsonBody(screeningRequestSchema)
  @ApiResult(201, 'The stored screening: CLEAR, POTENTIAL_MATCH or MATCH, with explained hits', screeningViewSchema)
  @ApiProblems(400, 401, 403)
  screen(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(screeningRequestSchema) body: ScreeningRequest): Promise<ScreeningView> {
    return this.screenings.screen(principal, body);
  }

  @Post('batch')
  @HttpCode(200)
  @Criticality('sheddable')
  @Bulkhead('sanctions')
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiJsonBody(batchScreeningRequestSchema)
  @ApiResult(200, 'One stored screening per name, in request order, all against the same list versions', batchScreeningViewSchema)
  @ApiProblems(400, 401, 403)
  screenBatch(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(batchScreeningRequestSchema) body: BatchScreeningRequest): Promise<{ items: ScreeningView[] }> {
    return this.screenings.screenBatch(principal, body);
  }

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiQueryFrom(verificationScreeningsQuerySchema)
  @ApiResult(200, 'The screenings of the verification\'s latest submission (business and owners), for officers to decide hits', batchScreeningViewSchema)
  @ApiProblems(400, 401, 403)
  listForVerification(@CurrentPrincipal() principal: RequestPrincipal, @ValidQuery(verificationScreeningsQuerySchema) query: VerificationScreeningsQuery): Promise<{ items: ScreeningView[] }> {
    return this.screenings.listForVerification(principal, query.verificationId);
  }

  @Get(':id')
  @Roles('compliance_officer', 'compliance_manager', 'admin', 'service')
  @ApiPathParams(screeningParamsSchema)
  @ApiResult(200, 'A screening as stored, with the list versions it ran against', screeningViewSchema)
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(screeningParamsSchema) params: ScreeningParams): Promise<ScreeningView> {
    return this.screenings.get(principal, params.id);
  }

  @Post(':id/matches/:sdnId/disposition')
  @HttpCode(200)
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiPathParams(matchParamsSchema)
  @ApiJsonBody(dispositionRequestSchema)
  @ApiResult(200, 'The decision, and the verification\'s sanctions status it led to (null for ad-hoc screenings)', dispositionViewSchema)
  @ApiProblems(400, 401, 403, 404)
  dispose(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(matchParamsSchema) params: MatchParams, @ValidBody(dispositionRequestSchema) body: DispositionRequest): Promise<DispositionView> {
    return this.dispositions.dispose(principal, params.id, params.sdnId, body);
  }
}
