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
  subject_id: string | null;
  personal_digest: Buffer | null;
  /** From audit_personal_values: null when the entry has none or they were erased. */
  personal: unknown;
  /** Whether the subject's salt still exists (false once erased, or when there is no subject). */
  salt: Buffer | null;
}

export interface AuditFilter {
  resourceType?: string;
  resourceId?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

const COLUMNS = `a.id, a.tenant_id, a.seq, a.actor, a.actor_roles, a.action, a.entity_type, a.entity_id, a.request_id, a.before_state, a.after_state,
  a.occurred_at, a.prev_hash, a.hash, a.subject_id, a.personal_digest, p.personal, s.salt`;
/** Every read joins the personal values and the subject's salt kept beside the chain. */
const FROM = `audit_log a
  LEFT JOIN audit_personal_values p ON p.audit_id = a.id
  LEFT JOIN audit_subject_salts s ON s.tenant_id = a.tenant_id AND s.subject_id = a.subject_id`;

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

  /** Appends the link and answers its id. */
  async append(tx: EntityManager, content: ChainedAuditContent, prevHash: Buffer, hash: Buffer): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH head AS (UPDATE audit_chain_heads SET seq = $2, hash = $12 WHERE tenant_id = $1)
       INSERT INTO audit_log (tenant_id, seq, actor, actor_roles, action, entity_type, entity_id, request_id, before_state, after_state, occurred_at, prev_hash, hash, details, subject_id, personal_digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $13, $12, '{}'::jsonb, $14, decode($15, 'hex'))
       RETURNING id`,
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
        content.subjectId ?? null,
        content.personalDigest ?? null,
      ],
    );
    return (rows[0] as { id: string }).id;
  }

  /** The subject's salt, created on first use (random: see personalDigest). */
  async subjectSalt(tx: EntityManager, tenantId: string, subjectId: string, fresh: Buffer): Promise<Buffer> {
    await tx.query('INSERT INTO audit_subject_salts (tenant_id, subject_id, salt) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, subjectId, fresh]);
    const rows: Array<{ salt: Buffer }> = await tx.query('SELECT salt FROM audit_subject_salts WHERE tenant_id = $1 AND subject_id = $2', [tenantId, subjectId]);
    return (rows[0] as { salt: Buffer }).salt;
  }

  async storePersonal(tx: EntityManager, auditId: string, tenantId: string, subjectId: string, personal: unknown): Promise<void> {
    await tx.query('INSERT INTO audit_personal_values (audit_id, tenant_id, subject_id, personal) VALUES ($1, $2, $3, $4::jsonb)', [auditId, tenantId, subjectId, JSON.stringify(personal)]);
  }

  /** Crypto-shredding: the subject's clear values and its salt go; the chained rows stay. */
  async shredSubject(tx: EntityManager, tenantId: string, subjectId: string): Promise<number> {
    const rows: Array<{ erased: string }> = await tx.query(
      `WITH salt AS (DELETE FROM audit_subject_salts WHERE tenant_id = $1 AND subject_id = $2),
            erased AS (DELETE FROM audit_personal_values WHERE tenant_id = $1 AND subject_id = $2 RETURNING 1)
       SELECT count(*) AS erased FROM erased`,
      [tenantId, subjectId],
    );
    return Number(rows[0]?.erased ?? 0);
  }

  /** Every entry about the subject (named by it, or about the venue itself), in sequence order. */
  async aboutSubject(tx: EntityManager, tenantId: string, subjectId: string): Promise<AuditRow[]> {
    return tx.query(
      `SELECT ${COLUMNS} FROM ${FROM}
       WHERE a.tenant_id = $1 AND (a.subject_id = $2 OR (a.entity_type = 'venue' AND a.entity_id = $2))
       ORDER BY a.seq`,
      [tenantId, subjectId],
    );
  }

  /** Newest first, keyset-paginated on (occurred_at, id). */
  async list(tx: EntityManager, tenantId: string, filter: AuditFilter, after: CursorPosition | undefined, limit: number): Promise<AuditRow[]> {
    const where = new SqlFilter().where('a.tenant_id = ?', tenantId);
    if (filter.resourceType !== undefined) where.where('a.entity_type = ?', filter.resourceType);
    if (filter.resourceId !== undefined) where.where('a.entity_id = ?', filter.resourceId);
    if (filter.actor !== undefined) where.where('a.actor = ?', filter.actor);
    if (filter.action !== undefined) where.where('a.action = ?', filter.action);
    if (filter.from !== undefined) where.where('a.occurred_at >= ?', filter.from);
    if (filter.to !== undefined) where.where('a.occurred_at < ?', filter.to);
    if (after !== undefined) where.where('(a.occurred_at, a.id) < (?::timestamptz, ?::bigint)', after.key, after.id);
    return tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.clause} ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${where.param(limit + 1)}`, where.values);
  }

  /** A tenant's chained rows in sequence order, a batch at a time. */
  async chainBatch(tx: EntityManager, tenantId: string, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.tenant_id = $1 AND a.seq > $2 ORDER BY a.seq LIMIT $3`, [tenantId, afterSeq, limit]);
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
