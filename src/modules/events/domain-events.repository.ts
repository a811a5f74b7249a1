import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';
import type { DomainEvent } from './domain-event';

/** The only code that writes domain_events. */
@Injectable()
export class DomainEventsRepository {
  /** The new event's id; null when an event of this type and dedup key already exists for the tenant. */
  async insert(tx: TenantTransaction, tenantId: string, event: DomainEvent): Promise<string | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO domain_events (tenant_id, type, dedup_key, resource_key, payload) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (tenant_id, type, dedup_key) WHERE dedup_key IS NOT NULL DO NOTHING RETURNING id`,
      [tenantId, event.type, event.dedupKey ?? null, event.resourceKey ?? null, JSON.stringify(event.payload)],
    );
    return rows[0]?.id ?? null;
  }

  async existingDedupKeys(tx: TenantTransaction, tenantId: string, type: string, dedupKeys: readonly string[]): Promise<Set<string>> {
    const rows: Array<{ dedup_key: string }> = await tx.query('SELECT dedup_key FROM domain_events WHERE tenant_id = $1 AND type = $2 AND dedup_key = ANY($3::text[])', [tenantId, type, dedupKeys]);
    return new Set(rows.map((row) => row.dedup_key));
  }
}
