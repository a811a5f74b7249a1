import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyCount } from '../../../common/counts-by-key';
import type { CursorPosition } from '../../../common/pagination';
import { SqlFilter } from '../../../database/sql-filter';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { Decision } from '../dto/verification.dto';
import type { RiskStatus, SanctionsStatus } from './requirements';
import type { VerificationState } from './verification-state';

export interface VerificationRow {
  id: string;
  tenant_id: string;
  venue_id: string;
  state: VerificationState;
  legal_name: string;
  ein_ciphertext: Buffer;
  ein_key_id: string;
  ein_last4: string;
  business_address: Record<string, string>;
  contact_email: string;
  expected_annual_volume_cents: string;
  four_eyes_required: boolean;
  sanctions_status: SanctionsStatus;
  risk_status: RiskStatus;
  review_round: number;
  submitted_by: string;
  submitted_at: Date;
  review_deadline: Date;
  decided_at: Date | null;
  verified_at: Date | null;
  expires_at: Date | null;
  /** The stored payout answer (VerificationChecklist.refresh); new rows start as an unknown venue's. */
  payout_disabled_reason: string | null;
}

export interface OwnerRow {
  id: string;
  full_name: string;
  date_of_birth: string;
  ownership_percent: string;
}

export interface PayeeRow {
  venue_id: string;
  legal_name: string;
  ein_ciphertext: Buffer;
  ein_key_id: string;
  ein_last4: string;
  /** Restricted by an erasure: its forms are filed, and restricted too. */
  restricted: boolean;
}

export interface DecisionRow {
  decision: Decision;
  officer_id: string;
  reason: string | null;
  review_round: number;
  decided_at: Date;
}

/** Payout eligibility's one indexed read (venue_verifications_latest_idx): the stored answer. */
export const PAYOUT_ANSWER_SQL = `SELECT state, payout_disabled_reason, requirements_due, expires_at IS NOT NULL AND expires_at <= now() AS lapsed
  FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2
  ORDER BY state IN ('pending', 'in_review', 'action_required'), submitted_at DESC LIMIT 1`;

export interface PayoutAnswerRow {
  state: VerificationState;
  payout_disabled_reason: string | null;
  requirements_due: string[];
  lapsed: boolean;
}

export interface NewVerification {
  tenantId: string;
  venueId: string;
  legalName: string;
  einCiphertext: Buffer;
  einKeyId: string;
  einHash: Buffer;
  einLast4: string;
  businessAddress: object;
  contactEmail: string;
  expectedAnnualVolumeCents: number;
  fourEyesRequired: boolean;
  submittedBy: string;
  reviewDeadline: Date;
}

export interface QueueFilter {
  state?: 'pending' | 'in_review';
  submittedBefore?: Date;
  sanctionsStatus?: SanctionsStatus;
  riskStatus?: RiskStatus;
}

export interface QueueRow {
  id: string;
  venue_id: string;
  legal_name: string;
  state: VerificationState;
  submitted_at: Date;
  review_deadline: Date;
  four_eyes_required: boolean;
  sanctions_status: string;
  risk_status: string;
  approvals: number;
}

const COLUMNS = `id, tenant_id, venue_id, state, legal_name, ein_ciphertext, ein_key_id, ein_last4, business_address, contact_email,
  expected_annual_volume_cents, four_eyes_required, sanctions_status, risk_status, review_round, submitted_by, submitted_at,
  review_deadline, decided_at, verified_at, expires_at, payout_disabled_reason`;

/** The only code that touches venue_verifications, beneficial_owners and verification_decisions. */
@Injectable()
export class VerificationRepository {
  async insert(tx: TenantTransaction, verification: NewVerification): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO venue_verifications (tenant_id, venue_id, state, legal_name, ein_ciphertext, ein_key_id, ein_hash, ein_last4,
         business_address, contact_email, expected_annual_volume_cents, four_eyes_required, submitted_by, review_deadline, payout_disabled_reason)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, 'requirements.past_due') RETURNING id`,
      [
        verification.tenantId, verification.venueId, verification.legalName, verification.einCiphertext, verification.einKeyId,
        verification.einHash, verification.einLast4, JSON.stringify(verification.businessAddress), verification.contactEmail,
        verification.expectedAnnualVolumeCents, verification.fourEyesRequired, verification.submittedBy, verification.reviewDeadline,
      ],
    );
    return (rows[0] as { id: string }).id;
  }

  async replaceOwners(tx: TenantTransaction, tenantId: string, verificationId: string, owners: ReadonlyArray<{ fullName: string; dateOfBirth: string; ownershipPercent: number }>): Promise<void> {
    await tx.query('DELETE FROM beneficial_owners WHERE tenant_id = $1 AND verification_id = $2', [tenantId, verificationId]);
    await tx.query(
      `INSERT INTO beneficial_owners (tenant_id, verification_id, full_name, date_of_birth, ownership_percent)
       SELECT $1, $2, owner.full_name, owner.date_of_birth, owner.ownership_percent
       FROM jsonb_to_recordset($3::jsonb) AS owner(full_name text, date_of_birth date, ownership_percent numeric)`,
      [tenantId, verificationId, JSON.stringify(owners.map((owner) => ({ full_name: owner.fullName, date_of_birth: owner.dateOfBirth, ownership_percent: owner.ownershipPercent })))],
    );
  }

  /** `forUpdate` takes the row lock every state change holds until commit. */
  async find(tx: TenantTransaction, tenantId: string, id: string, forUpdate = false): Promise<VerificationRow | undefined> {
    const rows: VerificationRow[] = await tx.query(`SELECT ${COLUMNS} FROM venue_verifications WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0];
  }

  /**
   * Verified verifications whose validity ended, of every tenant, oldest first (through
   * venue_verifications_expiry_idx). Runs as the table owner, outside row-level security: only the
   * expiry job calls it, and it changes each tenant's rows in that tenant's own transaction.
   */
  async lapsedAcrossTenants(owner: EntityManager, now: Date, limit: number): Promise<Array<{ tenant_id: string; id: string }>> {
    return owner.query(
      "SELECT tenant_id, id FROM venue_verifications WHERE state = 'verified' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
      [now, limit],
    );
  }

  async countByState(tx: TenantTransaction, tenantId: string): Promise<Array<KeyCount<VerificationState>>> {
    return tx.query('SELECT state AS key, count(*)::int AS count FROM venue_verifications WHERE tenant_id = $1 GROUP BY state', [tenantId]);
  }

  /**
   * Every tenant's verifications per state, with how long the longest-waiting of each has waited
   * since submission: aggregates only, read as the table owner (outside row-level security) for
   * the metrics.
   */
  async statesAcrossTenants(owner: EntityManager): Promise<Array<KeyCount<VerificationState> & { oldest_seconds: number }>> {
    return owner.query(
      `SELECT state AS key, count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(submitted_at))::float8 AS oldest_seconds
       FROM venue_verifications GROUP BY state`,
    );
  }

  async listForVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<VerificationRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2 ORDER BY submitted_at DESC LIMIT 50`, [tenantId, venueId]);
  }

  /** The verification that decides a venue's payouts: a newer open one does not displace a settled one. */
  async currentForVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<VerificationRow | undefined> {
    const rows: VerificationRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2
       ORDER BY state IN ('pending', 'in_review', 'action_required'), submitted_at DESC LIMIT 1`,
      [tenantId, venueId],
    );
    return rows[0];
  }

  /** Locks every verification of a venue (in id order, so two lockers never deadlock); returns their ids. */
  async lockVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await tx.query('SELECT id FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2 ORDER BY id FOR UPDATE', [tenantId, venueId]);
    return rows.map((row) => row.id);
  }

  /** The payee details of each venue's latest submission (any state): what a 1099-K reports. */
  async latestPayees(tx: TenantTransaction, tenantId: string, venueIds: readonly string[]): Promise<PayeeRow[]> {
    return tx.query(
      `SELECT DISTINCT ON (venue_id) venue_id, legal_name, ein_ciphertext, ein_key_id, ein_last4, restricted_at IS NOT NULL AS restricted
       FROM venue_verifications WHERE tenant_id = $1 AND venue_id = ANY($2::text[])
       ORDER BY venue_id, submitted_at DESC, id`,
      [tenantId, venueIds],
    );
  }

  /**
   * Every tenant's monitored verifications (or those of `onlyTenants`), per venue the latest settled
   * one and the open one (if any): read as the tables' owner, outside row-level security, by
   * ongoing sanctions monitoring.
   */
  async monitoredAcrossTenants(manager: EntityManager, onlyTenants?: readonly string[]): Promise<Array<{ tenant_id: string; id: string }>> {
    return manager.query(
      `SELECT tenant_id::text AS tenant_id, id FROM (
         SELECT DISTINCT ON (tenant_id, venue_id, state IN ('pending', 'in_review', 'action_required')) tenant_id, venue_id, id
         FROM venue_verifications
         WHERE $1::uuid[] IS NULL OR tenant_id = ANY($1::uuid[])
         ORDER BY tenant_id, venue_id, state IN ('pending', 'in_review', 'action_required'), submitted_at DESC
       ) current ORDER BY tenant_id, venue_id, id`,
      [onlyTenants ?? null],
    );
  }

  async owners(tx: TenantTransaction, tenantId: string, verificationId: string): Promise<OwnerRow[]> {
    return tx.query(
      `SELECT id, full_name, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, ownership_percent
       FROM beneficial_owners WHERE tenant_id = $1 AND verification_id = $2 ORDER BY ownership_percent DESC, id`,
      [tenantId, verificationId],
    );
  }

  async ownerBelongsToVenue(tx: TenantTransaction, tenantId: string, venueId: string, ownerId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM beneficial_owners o JOIN venue_verifications v ON v.id = o.verification_id
       WHERE o.tenant_id = $1 AND v.venue_id = $2 AND o.id = $3`,
      [tenantId, venueId, ownerId],
    );
    return rows.length > 0;
  }

  async decisions(tx: TenantTransaction, tenantId: string, verificationId: string): Promise<DecisionRow[]> {
    return tx.query(
      'SELECT decision, officer_id, reason, review_round, decided_at FROM verification_decisions WHERE tenant_id = $1 AND verification_id = $2 ORDER BY decided_at, id',
      [tenantId, verificationId],
    );
  }

  async insertDecision(tx: TenantTransaction, tenantId: string, verificationId: string, round: number, officerId: string, decision: Decision, reason: string | null): Promise<void> {
    await tx.query(
      'INSERT INTO verification_decisions (tenant_id, verification_id, review_round, officer_id, decision, reason) VALUES ($1, $2, $3, $4, $5, $6)',
      [tenantId, verificationId, round, officerId, decision, reason],
    );
  }

  async update(tx: TenantTransaction, tenantId: string, id: string, fields: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(fields);
    const assignments = entries.map(([column], index) => `${column} = $${index + 3}`);
    await tx.query(
      `UPDATE venue_verifications SET ${assignments.join(', ')}, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, ...entries.map(([, value]) => value)],
    );
  }

  async queue(tx: TenantTransaction, tenantId: string, filter: QueueFilter, after: CursorPosition | undefined, limit: number): Promise<QueueRow[]> {
    const where = queueFilter(tenantId, filter);
    if (after !== undefined) where.where('(v.submitted_at, v.id) > (?::timestamptz, ?::uuid)', after.key, after.id);
    return tx.query(
      `SELECT v.id, v.venue_id, v.legal_name, v.state, v.submitted_at, v.review_deadline, v.four_eyes_required, v.sanctions_status, v.risk_status,
         (SELECT count(*)::int FROM verification_decisions d
          WHERE d.verification_id = v.id AND d.review_round = v.review_round AND d.decision = 'approve') AS approvals
       FROM venue_verifications v WHERE ${where.clause}
       ORDER BY v.submitted_at, v.id LIMIT ${where.param(limit + 1)}`,
      where.values,
    );
  }

  async overdueCount(tx: TenantTransaction, tenantId: string, filter: QueueFilter): Promise<number> {
    const where = queueFilter(tenantId, filter).where('v.review_deadline < now()');
    const rows: Array<{ count: number }> = await tx.query(`SELECT count(*)::int AS count FROM venue_verifications v WHERE ${where.clause}`, where.values);
    return rows[0]?.count ?? 0;
  }

  async fourEyesSettings(tx: TenantTransaction, tenantId: string): Promise<{ enabled: boolean; minAnnualVolumeCents: number | null } | undefined> {
    const rows: Array<{ four_eyes_enabled: boolean; four_eyes_min_annual_volume_cents: string | null }> = await tx.query(
      'SELECT four_eyes_enabled, four_eyes_min_annual_volume_cents FROM tenant_settings WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    return row === undefined ? undefined : { enabled: row.four_eyes_enabled, minAnnualVolumeCents: row.four_eyes_min_annual_volume_cents === null ? null : Number(row.four_eyes_min_annual_volume_cents) };
  }

  async saveFourEyesSettings(tx: TenantTransaction, tenantId: string, enabled: boolean, minAnnualVolumeCents: number | null, updatedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO tenant_settings (tenant_id, four_eyes_enabled, four_eyes_min_annual_volume_cents, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id) DO UPDATE SET four_eyes_enabled = EXCLUDED.four_eyes_enabled,
         four_eyes_min_annual_volume_cents = EXCLUDED.four_eyes_min_annual_volume_cents, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [tenantId, enabled, minAnnualVolumeCents, updatedBy],
    );
  }
}

function queueFilter(tenantId: string, filter: QueueFilter): SqlFilter {
  const where = new SqlFilter().where('v.tenant_id = ?', tenantId);
  if (filter.state === undefined) where.where("v.state IN ('pending', 'in_review')");
  else where.where('v.state = ?', filter.state);
  if (filter.submittedBefore !== undefined) where.where('v.submitted_at <= ?', filter.submittedBefore);
  if (filter.sanctionsStatus !== undefined) where.where('v.sanctions_status = ?', filter.sanctionsStatus);
  if (filter.riskStatus !== undefined) where.where('v.risk_status = ?', filter.riskStatus);
  return where;
}
