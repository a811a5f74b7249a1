import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';
import type { DomainEvent } from './domain-event';

/** The only code that touches domain_events. */
@Injectable()
export class DomainEventsRepository {
  /** False when an event of this type and dedup key already exists for the tenant. */
  async insert(tx: TenantTransaction, tenantId: string, event: DomainEvent): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO domain_events (tenant_id, type, dedup_key, payload) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (tenant_id, type, dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING RETURNING id`,
      [tenantId, event.type, event.dedupKey ?? null, JSON.stringify(event.payload)],
    );
    return rows.length > 0;
  }

  async existingDedupKeys(tx: TenantTransaction, tenantId: string, type: string, dedupKeys: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ dedup_key: string }> = await tx.query('SELECT dedup_key FROM domain_events WHERE tenant_id = $1 AND type = $2 AND dedup_key = ANY($3::text[])', [tenantId, type, dedupKeys]);
    return new Set(rows.map((row) => row.dedup_key));
  }

}
