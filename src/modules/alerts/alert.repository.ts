import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyCount } from '../../common/counts-by-key';
import type { CursorPosition } from '../../common/pagination';
import { SqlFilter } from '../../database/sql-filter';
import type { TenantTransaction } from '../../database/tenant-transaction';
import type { AlertOutcome, AlertStatus } from './alert-state';

export const ALERT_SEVERITIES = ['high', 'medium'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export type AlertEventKind = 'opened' | 'assigned' | 'status_changed' | 'commented' | 'closed';

export interface AlertRow {
  id: string;
  tenant_id: string;
  screening_id: string;
  subject_key: string;
  verification_id: string;
  venue_id: string;
  list_name: string;
  source_id: string;
  matched_name: string;
  score: number;
  content_hash: string;
  severity: AlertSeverity;
  status: AlertStatus;
  outcome: AlertOutcome | null;
  assignee: string | null;
  due_at: Date;
  opened_at: Date;
  closed_at: Date | null;
}

export interface AlertEventRow {
  id: string;
  kind: AlertEventKind;
  actor: string;
  text: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
}

export interface NewAlert {
  screeningId: string;
  subjectKey: string;
  listName: string;
  sourceId: string;
  matchedName: string;
  score: number;
  contentHash: string;
  severity: AlertSeverity;
}

export interface AlertFilter {
  status?: AlertStatus;
  severity?: AlertSeverity;
  assignee?: string;
  venueId?: string;
  overdue?: boolean;
}

const COLUMNS = `id, tenant_id, screening_id, subject_key, verification_id, venue_id, list_name, source_id, matched_name, score, content_hash,
  severity, status, outcome, assignee, due_at, opened_at, closed_at`;

/** The only code that touches screening_alerts and alert_events; in a tenant transaction, except the metrics' aggregate. */
@Injectable()
export class AlertRepository {
  /**
   * Opens an alert per hit in one statement, skipping hits that already have an alert not closed
   * (the partial unique index, which also settles two instances racing) and hits an officer
   * already confirmed with the entry's content as it is (confirmed stays confirmed until the entry
   * changes). Writes each new alert's `opened` event; answers the new alerts.
   */
  async openMany(tx: TenantTransaction, tenantId: string, verificationId: string, venueId: string, dueAt: Date, actor: string, alerts: readonly NewAlert[]): Promise<AlertRow[]> {
    if (alerts.length === 0) return [];
    const opened: AlertRow[] = await tx.query(
      `INSERT INTO screening_alerts (tenant_id, screening_id, subject_key, verification_id, venue_id, list_name, source_id, matched_name, score,
         content_hash, severity, due_at)
       SELECT $1, a.screening_id, a.subject_key, $2, $3, a.list_name, a.source_id, a.matched_name, a.score, a.content_hash, a.severity, $4
       FROM jsonb_to_recordset($5::jsonb) AS a(screening_id uuid, subject_key text, list_name text, source_id text, matched_name text,
         score double precision, content_hash text, severity text)
       WHERE NOT EXISTS (
         SELECT 1 FROM screening_alerts c
         WHERE c.tenant_id = $1 AND c.subject_key = a.subject_key AND c.list_name = a.list_name AND c.source_id = a.source_id
           AND c.content_hash = a.content_hash AND c.outcome = 'confirmed_match')
       ON CONFLICT (tenant_id, subject_key, list_name, source_id) WHERE status <> 'closed' DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        tenantId, verificationId, venueId, dueAt,
        JSON.stringify(alerts.map((a) => ({
          screening_id: a.screeningId, subject_key: a.subjectKey, list_name: a.listName, source_id: a.sourceId, matched_name: a.matchedName,
          score: a.score, content_hash: a.contentHash, severity: a.severity,
        }))),
      ],
    );
    if (opened.length > 0) {
      await tx.query(
        `INSERT INTO alert_events (tenant_id, alert_id, kind, actor, data)
         SELECT $1, id, 'opened', $2, jsonb_build_object('severity', severity, 'score', score) FROM screening_alerts WHERE tenant_id = $1 AND id = ANY($3::uuid[])`,
        [tenantId, actor, opened.map((alert) => alert.id)],
      );
    }
    return opened;
  }

  /** `forUpdate` takes the row lock every change holds until commit. */
  async find(tx: TenantTransaction, tenantId: string, id: string, forUpdate = false): Promise<AlertRow | undefined> {
    const rows: AlertRow[] = await tx.query(`SELECT ${COLUMNS} FROM screening_alerts WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0];
  }

  /** Oldest due first, keyset-paginated on (due_at, id). */
  async list(tx: TenantTransaction, tenantId: string, filter: AlertFilter, now: Date, after: CursorPosition | undefined, limit: number): Promise<AlertRow[]> {
    const where = new SqlFilter().where('tenant_id = ?', tenantId);
    if (filter.status !== undefined) where.where('status = ?', filter.status);
    if (filter.severity !== undefined) where.where('severity = ?', filter.severity);
    if (filter.assignee !== undefined) where.where('assignee = ?', filter.assignee);
    if (filter.venueId !== undefined) where.where('venue_id = ?', filter.venueId);
    if (filter.overdue === true) where.where("status <> 'closed' AND due_at < ?", now);
    if (filter.overdue === false) where.where("(status = 'closed' OR due_at >= ?)", now);
    if (after !== undefined) where.where('(due_at, id) > (?::timestamptz, ?::uuid)', after.key, after.id);
    return tx.query(`SELECT ${COLUMNS} FROM screening_alerts WHERE ${where.clause} ORDER BY due_at, id LIMIT ${where.param(limit + 1)}`, where.values);
  }

  /** Alerts not closed (open or investigating), per severity. */
  async countOpenBySeverity(tx: TenantTransaction, tenantId: string): Promise<Array<KeyCount<AlertSeverity>>> {
    return tx.query("SELECT severity AS key, count(*)::int AS count FROM screening_alerts WHERE tenant_id = $1 AND status <> 'closed' GROUP BY severity", [tenantId]);
  }

  /**
   * Every tenant's alerts not closed, per severity, with the age of the oldest: aggregates only,
   * read as the table owner (outside row-level security) for the metrics.
   */
  async openAcrossTenants(owner: EntityManager): Promise<Array<KeyCount<AlertSeverity> & { oldest_seconds: number }>> {
    return owner.query(
      `SELECT severity AS key, count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(opened_at))::float8 AS oldest_seconds
       FROM screening_alerts WHERE status <> 'closed' GROUP BY severity`,
    );
  }

  async update(tx: TenantTransaction, tenantId: string, id: string, fields: Partial<Pick<AlertRow, 'status' | 'outcome' | 'assignee' | 'closed_at'>>): Promise<AlertRow> {
    const entries = Object.entries(fields);
    const assignments = entries.map(([column], index) => `${column} = $${index + 3}`);
    await tx.query(`UPDATE screening_alerts SET ${assignments.join(', ')} WHERE tenant_id = $1 AND id = $2`, [tenantId, id, ...entries.map(([, value]) => value)]);
    return (await this.find(tx, tenantId, id)) as AlertRow;
  }

  async addEvent(tx: TenantTransaction, tenantId: string, alertId: string, kind: AlertEventKind, actor: string, text: string | null, data: Record<string, unknown>): Promise<void> {
    await tx.query('INSERT INTO alert_events (tenant_id, alert_id, kind, actor, text, data) VALUES ($1, $2, $3, $4, $5, $6)', [tenantId, alertId, kind, actor, text, JSON.stringify(data)]);
  }

  async events(tx: TenantTransaction, tenantId: string, alertId: string): Promise<AlertEventRow[]> {
    return tx.query('SELECT id, kind, actor, text, data, occurred_at FROM alert_events WHERE tenant_id = $1 AND alert_id = $2 ORDER BY occurred_at, id', [tenantId, alertId]);
  }
}
