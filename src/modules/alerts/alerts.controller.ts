import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Page } from '../../common/pagination';
import type { RequestPrincipal } from '../../common/request-principal';
import { ApiJsonBody, ApiPathParams, ApiProblems, ApiQueryFrom, ApiResult, ValidBody, ValidParams, ValidQuery } from '../../openapi/zod-openapi.decorators';
import { AlertsService } from './alerts.service';
import {
  type AlertDetail,
  alertDetailSchema,
  type AlertListQuery,
  alertListQuerySchema,
  alertListSchema,
  type AlertParams,
  alertParamsSchema,
  type AlertView,
  type AssignRequest,
  assignRequestSchema,
  type CloseRequest,
  closeRequestSchema,
  type CommentRequest,
  commentRequestSchema,
} from './dto/alert.dto';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';

@ApiTags('alerts')
@Idempotent()
@Controller('api/v1/alerts')
@Roles('compliance_officer', 'compliance_manager', 'admin')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiQueryFrom(alertListQuerySchema)
  @ApiResult(200, 'Screening alerts, oldest due first', alertListSchema)
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: RequestPrincipal, @ValidQuery(alertListQuerySchema) query: AlertListQuery): Promise<Page<AlertView>> {
    const { cursor, limit, ...filter } = query;
    return this.alerts.list(principal, filter, cursor, limit);
  }

  @Get(':id')
  @ApiPathParams(alertParamsSchema)
  @ApiResult(200, 'The alert with the screening\'s explanation of the hit and its timeline', alertDetailSchema)
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(alertParamsSchema) params: AlertParams): Promise<AlertDetail> {
    return this.alerts.get(principal, params.id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiPathParams(alertParamsSchema)
  @ApiJsonBody(assignRequestSchema)
  @ApiResult(200, 'The alert, assigned', alertDetailSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  assign(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(alertParamsSchema) params: AlertParams, @ValidBody(assignRequestSchema) body: AssignRequest): Promise<AlertDetail> {
    return this.alerts.assign(principal, params.id, body);
  }

  @Post(':id/comments')
  @HttpCode(200)
  @ApiPathParams(alertParamsSchema)
  @ApiJsonBody(commentRequestSchema)
  @ApiResult(200, 'The alert with the comment on its timeline', alertDetailSchema)
  @ApiProblems(400, 401, 403, 404)
  comment(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(alertParamsSchema) params: AlertParams, @ValidBody(commentRequestSchema) body: CommentRequest): Promise<AlertDetail> {
    return this.alerts.comment(principal, params.id, body);
  }

  @Post(':id/investigate')
  @HttpCode(200)
  @ApiPathParams(alertParamsSchema)
  @ApiResult(200, 'The alert, investigating', alertDetailSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  investigate(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(alertParamsSchema) params: AlertParams): Promise<AlertDetail> {
    return this.alerts.investigate(principal, params.id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiPathParams(alertParamsSchema)
  @ApiJsonBody(closeRequestSchema)
  @ApiResult(200, 'The alert, closed; the hit is decided (a false positive is suppressed later, a confirmed match blocks payouts)', alertDetailSchema)
  @ApiProblems(400, 401, 403, 404, 409)
  close(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(alertParamsSchema) params: AlertParams, @ValidBody(closeRequestSchema) body: CloseRequest): Promise<AlertDetail> {
    return this.alerts.close(principal, params.id, body);
  }
}
