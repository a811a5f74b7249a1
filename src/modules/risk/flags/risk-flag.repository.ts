import { Injectable } from '@nestjs/common';
import { SqlFilter } from '../../../database/sql-filter';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { RiskFlagSeverity } from '../scoring/risk-facts';

export interface RiskFlagRow {
  id: string;
  seq: string;
  venue_id: string;
  severity: RiskFlagSeverity;
  category: string;
  description: string;
  status: 'open' | 'resolved';
  raised_by: string;
  raised_at: Date;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
}

export interface RiskFlagFilter {
  venueId?: string;
  status?: 'open' | 'resolved';
  severity?: RiskFlagSeverity;
  category?: string;
}

const COLUMNS = 'id, seq, venue_id, severity, category, description, status, raised_by, raised_at, resolved_by, resolved_at, resolution_note';

/** The only code that touches risk_flags. */
@Injectable()
export class RiskFlagRepository {
  async insert(tx: TenantTransaction, tenantId: string, flag: { venueId: string; severity: RiskFlagSeverity; category: string; description: string; raisedBy: string; raisedAt: Date }): Promise<RiskFlagRow> {
    const rows: RiskFlagRow[] = await tx.query(
      `INSERT INTO risk_flags (tenant_id, venue_id, severity, category, description, raised_by, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [tenantId, flag.venueId, flag.severity, flag.category, flag.description, flag.raisedBy, flag.raisedAt],
    );
    return rows[0] as RiskFlagRow;
  }

  async find(tx: TenantTransaction, tenantId: string, id: string, forUpdate = false): Promise<RiskFlagRow | undefined> {
    const rows: RiskFlagRow[] = await tx.query(`SELECT ${COLUMNS} FROM risk_flags WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0];
  }

  /** Newest first, keyset-paginated on `seq`; fetches `limit + 1`. */
  list(tx: TenantTransaction, tenantId: string, filter: RiskFlagFilter, beforeSeq: string | undefined, limit: number): Promise<RiskFlagRow[]> {
    const where = new SqlFilter().where('tenant_id = ?', tenantId);
    if (filter.venueId !== undefined) where.where('venue_id = ?', filter.venueId);
    if (filter.status !== undefined) where.where('status = ?', filter.status);
    if (filter.severity !== undefined) where.where('severity = ?', filter.severity);
    if (filter.category !== undefined) where.where('category = ?', filter.category);
    if (beforeSeq !== undefined) where.where('seq < ?::bigint', beforeSeq);
    return tx.query(`SELECT ${COLUMNS} FROM risk_flags WHERE ${where.clause} ORDER BY seq DESC LIMIT ${where.param(limit + 1)}`, where.values);
  }

  openForVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<RiskFlagRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM risk_flags WHERE tenant_id = $1 AND venue_id = $2 AND status = 'open' ORDER BY seq`, [tenantId, venueId]);
  }

  async resolve(tx: TenantTransaction, tenantId: string, id: string, resolution: { resolvedBy: string; resolvedAt: Date; note: string }): Promise<RiskFlagRow> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows]: [RiskFlagRow[], number] = await tx.query(
      `UPDATE risk_flags SET status = 'resolved', resolved_by = $3, resolved_at = $4, resolution_note = $5 WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [tenantId, id, resolution.resolvedBy, resolution.resolvedAt, resolution.note],
    );
    return rows[0] as RiskFlagRow;
  }
}
