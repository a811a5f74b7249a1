import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiProblems, ApiResult } from '../../../openapi/zod-openapi.decorators';
import { type RescreenView, rescreenViewSchema } from '../dto/alert.dto';
import { SanctionsRescreener } from './sanctions.rescreener';
import { Idempotent } from '../../../common/idempotency/idempotent.decorator';

@ApiTags('sanctions')
@Idempotent()
@Controller('api/v1/sanctions/rescreen')
export class SanctionsRescreenController {
  constructor(private readonly rescreener: SanctionsRescreener) {}

  /** The caller's tenant only: a tenant's admin is not the platform's operator (every tenant: the job on list activation). */
  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiResult(200, 'Re-screened the tenant\'s monitored verifications against the active lists; counts', rescreenViewSchema)
  @ApiProblems(401, 403, 503)
  rescreen(@CurrentPrincipal() principal: RequestPrincipal): Promise<RescreenView> {
    return this.rescreener.rescreenTenant(principal.tenantId, principal.userId);
  }
}
