import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Page } from '../../common/pagination';
import type { RequestPrincipal } from '../../common/request-principal';
import { ApiQueryFrom, ApiResult, ValidQuery } from '../../openapi/zod-openapi.decorators';
import type { AuditRecordView, ChainVerification } from './audit-entry';
import { AuditService } from './audit.service';
import { type AuditQuery, auditPageSchema, auditQuerySchema, chainVerificationSchema } from './dto/audit.dto';

@ApiTags('audit')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiQueryFrom(auditQuerySchema)
  @ApiResult(200, 'This tenant\'s audit entries, newest first', auditPageSchema)
  list(@ValidQuery(auditQuerySchema) query: AuditQuery, @CurrentPrincipal() principal: RequestPrincipal): Promise<Page<AuditRecordView>> {
    const { limit, cursor, from, to, ...filter } = query;
    return this.audit.list(principal, { ...filter, from: from === undefined ? undefined : new Date(from), to: to === undefined ? undefined : new Date(to) }, cursor, limit);
  }

  @Get('verify')
  @Roles('compliance_manager', 'admin')
  @ApiResult(200, 'Whether this tenant\'s hash chain is intact, and its first broken link if not', chainVerificationSchema)
  verify(@CurrentPrincipal() principal: RequestPrincipal): Promise<ChainVerification> {
    return this.audit.verifyTenant(principal);
  }
}
