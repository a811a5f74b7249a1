import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CursorPosition } from '../../common/pagination';
import { SqlFilter } from '../../database/sql-filter';
import { type ChainedAuditContent, GENESIS_HASH } from './audit-chain';

export interface AuditRow {
  id: string;
  tenant_id: string;
  seq: string | null;
  actor: string;
  actor_roles: string[] | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  request_id: string | null;
  before_state: unknown;
  after_state: unknown;
  occurred_at: Date;
  prev_hash: Buffer | null;
  hash: Buffer | null;
}

export interface AuditFilter {
  resourceType?: string;
  resourceId?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

const COLUMNS = 'id, tenant_id, seq, actor, actor_roles, action, entity_type, entity_id, request_id, before_state, after_state, occurred_at, prev_hash, hash';

/** The only code that reads or appends audit_log and audit_chain_heads. */
@Injectable()
export class AuditRepository {
  /**
   * Locks the tenant's chain head (creating it on first use) and returns the latest link. The row
   * lock serialises this tenant's writers until commit; other tenants never wait. Callers append
   * as their transaction's last write, so the lock is held briefly and always taken last.
   */
  async lockHead(tx: EntityManager, tenantId: string): Promise<{ seq: number; hash: Buffer }> {
    const rows: Array<{ seq: string; hash: Buffer }> = await tx.query(
      `INSERT INTO audit_chain_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_chain_heads.seq
       RETURNING seq, hash`,
      [tenantId, GENESIS_HASH],
    );
    const head = rows[0] as { seq: string; hash: Buffer };
    return { seq: Number(head.seq), hash: head.hash };
  }

  async append(tx: EntityManager, content: ChainedAuditContent, prevHash: Buffer, hash: Buffer): Promise<void> {
    await tx.query(
      `WITH head AS (UPDATE audit_chain_heads SET seq = $2, hash = $12 WHERE tenant_id = $1)
       INSERT INTO audit_log (tenant_id, seq, actor, actor_roles, action, entity_type, entity_id, request_id, before_state, after_state, occurred_at, prev_hash, hash, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $13, $12, '{}'::jsonb)`,
      [
        content.tenantId,
        content.seq,
        content.actor,
        content.actorRoles,
        content.action,
        content.resourceType,
        content.resourceId,
        content.requestId,
        JSON.stringify(content.before ?? null),
        JSON.stringify(content.after ?? null),
        content.occurredAt,
        hash,
        prevHash,
      ],
    );
  }

  /** Newest first, keyset-paginated on (occurred_at, id). */
  async list(tx: EntityManager, tenantId: string, filter: AuditFilter, after: CursorPosition | undefined, limit: number): Promise<AuditRow[]> {
    const where = new SqlFilter().where('tenant_id = ?', tenantId);
    if (filter.resourceType !== undefined) where.where('entity_type = ?', filter.resourceType);
    if (filter.resourceId !== undefined) where.where('entity_id = ?', filter.resourceId);
    if (filter.actor !== undefined) where.where('actor = ?', filter.actor);
    if (filter.action !== undefined) where.where('action = ?', filter.action);
    if (filter.from !== undefined) where.where('occurred_at >= ?', filter.from);
    if (filter.to !== undefined) where.where('occurred_at < ?', filter.to);
    if (after !== undefined) where.where('(occurred_at, id) < (?::timestamptz, ?::bigint)', after.key, after.id);
    return tx.query(`SELECT ${COLUMNS} FROM audit_log WHERE ${where.clause} ORDER BY occurred_at DESC, id DESC LIMIT ${where.param(limit + 1)}`, where.values);
  }

  /** A tenant's chained rows in sequence order, a batch at a time. */
  async chainBatch(tx: EntityManager, tenantId: string, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [tenantId, afterSeq, limit]);
  }

  async head(tx: EntityManager, tenantId: string): Promise<{ seq: number; hash: Buffer } | undefined> {
    const rows: Array<{ seq: string; hash: Buffer }> = await tx.query('SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = $1', [tenantId]);
    const head = rows[0];
    return head === undefined ? undefined : { seq: Number(head.seq), hash: head.hash };
  }

  async chainedTenants(tx: EntityManager): Promise<string[]> {
    const rows: Array<{ tenant_id: string }> = await tx.query('SELECT tenant_id FROM audit_chain_heads ORDER BY tenant_id');
    return rows.map((row) => row.tenant_id);
  }
}
