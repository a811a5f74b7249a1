import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import type { Page } from '../../common/pagination';
import type { RequestPrincipal } from '../../common/request-principal';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../openapi/zod-openapi.decorators';
import { type IdParams, idParamsSchema } from '../venues/dto/venue-params.dto';
import {
  type CreatePrivacyRequest,
  createPrivacyRequestSchema,
  type ExtendRequest,
  exportLinkSchema,
  extendRequestSchema,
  type PrivacyRequestListQuery,
  privacyRequestListQuerySchema,
  privacyRequestPageSchema,
  type PrivacyRequestView,
  privacyRequestViewSchema,
  type RefuseRequest,
  refuseRequestSchema,
  type RestrictedReadQuery,
  restrictedReadQuerySchema,
  type SubjectDocument,
  subjectDocumentSchema,
  type SubjectParams,
  subjectParamsSchema,
} from './dto/privacy.dto';
import type { ExportLink } from './export-link.signer';
import { PrivacyRequestsService } from './privacy-requests.service';

/** Officers work requests; an erasure, which cannot be undone, takes a compliance manager or admin. */
@ApiTags('privacy')
@Idempotent()
@Controller('api/v1/privacy')
@Roles('compliance_officer', 'compliance_manager', 'admin')
export class PrivacyRequestsController {
  constructor(private readonly requests: PrivacyRequestsService) {}

  @Post('requests')
  @ApiJsonBody(createPrivacyRequestSchema)
  @ApiResult(201, 'The request, received now and due in one month (GDPR Art. 12(3))', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403)
  create(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(createPrivacyRequestSchema) body: CreatePrivacyRequest): Promise<PrivacyRequestView> {
    return this.requests.create(principal, body);
  }

  @Get('requests')
  @ApiQueryFrom(privacyRequestListQuerySchema)
  @ApiResult(200, 'Requests, soonest due first', privacyRequestPageSchema)
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: RequestPrincipal, @ValidQuery(privacyRequestListQuerySchema) query: PrivacyRequestListQuery): Promise<Page<PrivacyRequestView>> {
    return this.requests.list(principal, query);
  }

  @Get('requests/:id')
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'The request', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<PrivacyRequestView> {
    return this.requests.get(principal, params.id);
  }

  @Post('requests/:id/start')
  @HttpCode(200)
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'The request, in progress', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  start(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<PrivacyRequestView> {
    return this.requests.start(principal, params.id);
  }

  @Post('requests/:id/extend')
  @HttpCode(200)
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(extendRequestSchema)
  @ApiResult(200, 'The request with its new due date', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  extend(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(extendRequestSchema) body: ExtendRequest): Promise<PrivacyRequestView> {
    return this.requests.extend(principal, params.id, body);
  }

  @Post('requests/:id/refuse')
  @HttpCode(200)
  @ApiPathParams(idParamsSchema)
  @ApiJsonBody(refuseRequestSchema)
  @ApiResult(200, 'The request, refused with its reason', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  refuse(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams, @ValidBody(refuseRequestSchema) body: RefuseRequest): Promise<PrivacyRequestView> {
    return this.requests.refuse(principal, params.id, body);
  }

  /** Access: builds the export. Erasure: deletes, anonymises and restricts, at once and for good. */
  @Post('requests/:id/complete')
  @HttpCode(200)
  @Roles('compliance_manager', 'admin')
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'The request, completed, with what was exported or erased', privacyRequestViewSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  complete(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<PrivacyRequestView> {
    return this.requests.complete(principal, params.id);
  }

  @Post('requests/:id/export-link')
  @HttpCode(200)
  @ApiPathParams(idParamsSchema)
  @ApiResult(200, 'A short-lived signed link to the access export, usable without a token', exportLinkSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  exportLink(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(idParamsSchema) params: IdParams): Promise<ExportLink> {
    return this.requests.exportLink(principal, params.id);
  }

  @Get('subjects/:subjectId/restricted-records')
  @Roles('compliance_manager')
  @ApiPathParams(subjectParamsSchema)
  @ApiQueryFrom(restrictedReadQuerySchema)
  @ApiResult(200, 'Everything held about the subject, restricted records included; the read and its reason are audited', subjectDocumentSchema)
  @ApiProblems(400, 401, 403)
  restricted(
    @CurrentPrincipal() principal: RequestPrincipal,
    @ValidParams(subjectParamsSchema) params: SubjectParams,
    @ValidQuery(restrictedReadQuerySchema) query: RestrictedReadQuery,
  ): Promise<SubjectDocument> {
    return this.requests.restrictedRecords(principal, params.subjectId, query.reason);
  }
}
