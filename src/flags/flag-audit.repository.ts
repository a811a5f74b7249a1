import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FlagName } from './flag-names';
import type { FlagRule } from './flag-override';

/** audit_log.tenant_id of changes that apply to every tenant. */
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

/** Writes override changes to audit_log, inside the caller's transaction. */
@Injectable()
export class FlagAuditRepository {
  async record(manager: EntityManager, entry: FlagAuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (tenant_id, actor, action, entity_type, entity_id, request_id, details)
       VALUES ($1, $2, $3, 'feature_flag', $4, $5, $6::jsonb)`,
      [
        entry.tenantId ?? PLATFORM_TENANT,
        entry.actor,
        entry.action,
        entry.flag,
        entry.requestId,
        JSON.stringify({ scope: entry.tenantId === null ? 'all-tenants' : 'tenant', previous: entry.previous, next: entry.next }),
      ],
    );
  }
}
