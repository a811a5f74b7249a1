import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../modules/audit/audit.service';
import type { FlagName } from './flag-names';
import type { FlagRule } from './flag-override';

/** audit_log.tenant_id of changes that apply to every tenant: their own hash chain. */
export const PLATFORM_TENANT = 'platform';

export interface FlagAuditEntry {
  action: 'feature_flag.override_set' | 'feature_flag.override_cleared';
  flag: FlagName;
  tenantId: string | null;
  actor: string;
  requestId: string;
  previous: FlagRule | null;
  next: FlagRule | null;
}

/**
 * Records override changes through AuditService, inside the caller's transaction, so they are
 * hash-chained like every other change (the platform's changes on a chain of their own).
 */
@Injectable()
export class FlagAuditRepository {
  constructor(private readonly audit: AuditService) {}

  async record(manager: EntityManager, entry: FlagAuditEntry): Promise<void> {
    const scope = entry.tenantId === null ? 'all-tenants' : 'tenant';
    await this.audit.record(
      manager,
      { action: entry.action, resourceType: 'feature_flag', resourceId: entry.flag, before: { scope, rule: entry.previous }, after: { scope, rule: entry.next } },
      { tenantId: entry.tenantId ?? PLATFORM_TENANT, actor: entry.actor, actorRoles: [], requestId: entry.requestId },
    );
  }
}
