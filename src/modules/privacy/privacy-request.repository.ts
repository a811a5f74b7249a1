import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CursorPosition } from '../../common/pagination';
import { changedRowCount } from '../../database/changed-row-count';
import type { TenantTransaction } from '../../database/tenant-transaction';
import { SqlFilter } from '../../database/sql-filter';
import type { PrivacyRequestState, PrivacyRequestType } from './privacy-request-rules';

export interface PrivacyRequestRow {
  id: string;
  tenant_id: string;
  subject_id: string;
  type: PrivacyRequestType;
  reason: string;
  state: PrivacyRequestState;
  requested_by: string;
  received_at: Date;
  due_at: Date;
  extended_at: Date | null;
  extension_reason: string | null;
  refusal_reason: string | null;
  handled_by: string | null;
  completed_at: Date | null;
  outcome: Record<string, unknown> | null;
}

export interface PrivacyRequestFilter {
  state?: PrivacyRequestState;
  type?: PrivacyRequestType;
  overdue?: boolean;
}

const COLUMNS = `id, tenant_id, subject_id, type, reason, state, requested_by, received_at, due_at, extended_at, extension_reason, refusal_reason,
  handled_by, completed_at, outcome`;
const OPEN = "state IN ('received', 'in_progress')";

/** privacy_requests and privacy_exports; every query runs in the tenant's transaction, except the metrics' aggregate. */
@Injectable()
export class PrivacyRequestRepository {
  async insert(tx: TenantTransaction, request: { tenantId: string; subjectId: string; type: PrivacyRequestType; reason: string; requestedBy: string; receivedAt: Date; dueAt: Date }): Promise<PrivacyRequestRow> {
    const rows: PrivacyRequestRow[] = await tx.query(
      `INSERT INTO privacy_requests (tenant_id, subject_id, type, reason, requested_by, received_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [request.tenantId, request.subjectId, request.type, request.reason, request.requestedBy, request.receivedAt, request.dueAt],
    );
    return rows[0] as PrivacyRequestRow;
  }

  async find(tx: TenantTransaction, tenantId: string, id: string, forUpdate = false): Promise<PrivacyRequestRow | undefined> {
    const rows: PrivacyRequestRow[] = await tx.query(`SELECT ${COLUMNS} FROM privacy_requests WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0];
  }

  /** Oldest due first; keyset on (due_at, id). */
  async list(tx: TenantTransaction, tenantId: string, filter: PrivacyRequestFilter, now: Date, after: CursorPosition | undefined, limit: number): Promise<PrivacyRequestRow[]> {
    const where = new SqlFilter().where('tenant_id = ?', tenantId);
    if (filter.state !== undefined) where.where('state = ?', filter.state);
    if (filter.type !== undefined) where.where('type = ?', filter.type);
    if (filter.overdue === true) where.where(`${OPEN} AND due_at < ?`, now);
    if (filter.overdue === false) where.where(`NOT (${OPEN} AND due_at < ?)`, now);
    if (after !== undefined) where.where('(due_at, id) > (?::timestamptz, ?::uuid)', after.key, after.id);
    return tx.query(`SELECT ${COLUMNS} FROM privacy_requests WHERE ${where.clause} ORDER BY due_at, id LIMIT ${where.param(limit + 1)}`, where.values);
  }

  async update(tx: TenantTransaction, tenantId: string, id: string, changes: Partial<Pick<PrivacyRequestRow, 'state' | 'due_at' | 'extended_at' | 'extension_reason' | 'refusal_reason' | 'handled_by' | 'completed_at'>> & { outcome?: Record<string, unknown> }): Promise<PrivacyRequestRow> {
    const entries = Object.entries(changes);
    const assignments = entries.map(([column], index) => `${column} = $${index + 3}${column === 'outcome' ? '::jsonb' : ''}`);
    const values = entries.map(([column, value]) => (column === 'outcome' ? JSON.stringify(value) : value));
    const rows: PrivacyRequestRow[] = await tx.query(
      `WITH updated AS (UPDATE privacy_requests SET ${assignments.join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}) SELECT * FROM updated`,
      [tenantId, id, ...values],
    );
    return rows[0] as PrivacyRequestRow;
  }

  /** Open requests of the tenant due before `before` that were not reminded of this due date. */
  async dueSoonUnreminded(tx: TenantTransaction, tenantId: string, before: Date): Promise<PrivacyRequestRow[]> {
    return tx.query(
      `WITH reminded AS (
         UPDATE privacy_requests SET reminded_for_due_at = due_at
         WHERE tenant_id = $1 AND ${OPEN} AND due_at < $2 AND reminded_for_due_at IS DISTINCT FROM due_at
         RETURNING ${COLUMNS})
       SELECT * FROM reminded ORDER BY due_at, id`,
      [tenantId, before],
    );
  }

  async countOverdue(tx: TenantTransaction, tenantId: string, now: Date): Promise<number> {
    const rows: Array<{ overdue: string }> = await tx.query(`SELECT count(*) AS overdue FROM privacy_requests WHERE tenant_id = $1 AND ${OPEN} AND due_at < $2`, [tenantId, now]);
    return Number(rows[0]?.overdue ?? 0);
  }

  /** Every tenant's open requests, before and past their deadline: two numbers, read as the table owner (outside row-level security) for the metrics. */
  async openAcrossTenants(owner: EntityManager): Promise<{ due: number; overdue: number }> {
    const [row]: Array<{ due: number; overdue: number }> = await owner.query(
      `SELECT count(*) FILTER (WHERE due_at >= now())::int AS due, count(*) FILTER (WHERE due_at < now())::int AS overdue
       FROM privacy_requests WHERE ${OPEN}`,
    );
    return row ?? { due: 0, overdue: 0 };
  }

  async storeExport(tx: TenantTransaction, tenantId: string, requestId: string, subjectId: string, document: unknown): Promise<void> {
    await tx.query('INSERT INTO privacy_exports (request_id, tenant_id, subject_id, document) VALUES ($1, $2, $3, $4::jsonb)', [requestId, tenantId, subjectId, JSON.stringify(document)]);
  }

  async exportOf(tx: TenantTransaction, tenantId: string, requestId: string): Promise<unknown> {
    const rows: Array<{ document: unknown }> = await tx.query('SELECT document FROM privacy_exports WHERE tenant_id = $1 AND request_id = $2', [tenantId, requestId]);
    return rows[0]?.document;
  }

  /** An earlier access export is itself a copy of the subject's data: an erasure removes it. */
  async deleteExportsOfSubject(tx: TenantTransaction, tenantId: string, subjectId: string): Promise<number> {
    return changedRowCount(tx, 'DELETE FROM privacy_exports WHERE tenant_id = $1 AND subject_id = $2', [tenantId, subjectId]);
  }
}
