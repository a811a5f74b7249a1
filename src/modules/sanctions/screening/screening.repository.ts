import { Injectable } from '@nestjs/common';
import type { KeyCount } from '../../../common/counts-by-key';
import type { TenantSnapshotReader } from '../../../database/tenant-snapshot-reader';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { ScreeningOutcome } from '../matching/sanctions-matching.model';
import type { Disposition, DispositionRow } from './hit-dispositions';
import type { ScreeningHit } from './screening-hit';

export interface ScreeningRow {
  id: string;
  tenant_id: string;
  subject_key: string;
  verification_id: string | null;
  query: Record<string, unknown>;
  result: ScreeningOutcome;
  list_versions: string[];
  matches: ScreeningHit[];
  suppressed: ScreeningHit[];
  screened_by: string;
  screened_at: Date;
}

export interface NewScreening {
  id: string;
  subjectKey: string;
  verificationId: string | null;
  query: object;
  result: ScreeningOutcome;
  listVersions: string[];
  matches: ScreeningHit[];
  suppressed: ScreeningHit[];
}

/** One request's screenings, as group commit stores them beside other requests'. */
export interface ScreeningsToStore {
  screenedBy: string;
  rows: readonly NewScreening[];
}

export interface NewDisposition {
  screeningId: string;
  subjectKey: string;
  list: string;
  sdnId: string;
  contentHash: string;
  disposition: Disposition;
  reason: string;
  decidedBy: string;
  reviewAt: Date;
}

const COLUMNS = 'id, tenant_id, subject_key, verification_id, query, result, list_versions, matches, suppressed, screened_by, screened_at';

/** The only code that touches screenings and screening_dispositions; always in a tenant transaction. */
@Injectable()
export class ScreeningRepository {
  /** One statement for any number of screenings (a batch of 1,000 is one round trip). */
  async insertMany(tx: TenantTransaction, tenantId: string, screenedBy: string, screenings: readonly NewScreening[]): Promise<Date> {
    const rows: Array<{ screened_at: Date }> = await tx.query(
      `INSERT INTO screenings (id, tenant_id, subject_key, verification_id, query, result, list_versions, matches, suppressed, screened_by)
       SELECT s.id, $1, s.subject_key, s.verification_id, s.query, s.result, s.list_versions, s.matches, s.suppressed, $2
       FROM jsonb_to_recordset($3::jsonb) AS s(id uuid, subject_key text, verification_id uuid, query jsonb, result text,
         list_versions uuid[], matches jsonb, suppressed jsonb)
       RETURNING screened_at`,
      [
        tenantId,
        screenedBy,
        JSON.stringify(screenings.map((s) => ({
          id: s.id, subject_key: s.subjectKey, verification_id: s.verificationId, query: s.query, result: s.result,
          list_versions: s.listVersions, matches: s.matches, suppressed: s.suppressed,
        }))),
      ],
    );
    return (rows[0] as { screened_at: Date }).screened_at;
  }

  /**
   * The INSERT of several requests' screenings for one message without bind parameters (see
   * ScreeningGroupCommit): `literal` escapes every value. The same rows as insertMany.
   */
  insertStatement(literal: (value: string) => string, tenantId: string, requests: readonly ScreeningsToStore[]): string {
    const rows = requests.flatMap(({ screenedBy, rows: screenings }) => screenings.map((s) => ({
      id: s.id, subject_key: s.subjectKey, verification_id: s.verificationId, query: s.query, result: s.result,
      list_versions: s.listVersions, matches: s.matches, suppressed: s.suppressed, screened_by: screenedBy,
    })));
    return `INSERT INTO screenings (id, tenant_id, subject_key, verification_id, query, result, list_versions, matches, suppressed, screened_by)
       SELECT s.id, ${literal(tenantId)}::uuid, s.subject_key, s.verification_id, s.query, s.result, s.list_versions, s.matches, s.suppressed, s.screened_by
       FROM jsonb_to_recordset(${literal(JSON.stringify(rows))}::jsonb) AS s(id uuid, subject_key text, verification_id uuid, query jsonb, result text,
         list_versions uuid[], matches jsonb, suppressed jsonb, screened_by text)`;
  }

  async find(tx: TenantTransaction, tenantId: string, id: string): Promise<ScreeningRow | undefined> {
    const rows: ScreeningRow[] = await tx.query(`SELECT ${COLUMNS} FROM screenings WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0];
  }

  /** Screenings stored since `since` (ad hoc and of verifications), per result. */
  async countByResultSince(tx: TenantTransaction, tenantId: string, since: Date): Promise<Array<KeyCount<ScreeningOutcome>>> {
    return tx.query('SELECT result AS key, count(*)::int AS count FROM screenings WHERE tenant_id = $1 AND screened_at >= $2 GROUP BY result', [tenantId, since]);
  }

  /** The screenings of a verification's latest round: one submission screens every party in one transaction (same now()). */
  async latestForVerification(tx: TenantTransaction, tenantId: string, verificationId: string): Promise<ScreeningRow[]> {
    return tx.query(
      `SELECT ${COLUMNS} FROM screenings WHERE tenant_id = $1 AND verification_id = $2
         AND screened_at = (SELECT max(screened_at) FROM screenings WHERE tenant_id = $1 AND verification_id = $2)`,
      [tenantId, verificationId],
    );
  }

  /** Those of `verificationIds` whose latest screenings ran against exactly these list versions (as stored, in snapshot order). */
  async lastScreenedAgainst(tx: TenantTransaction, tenantId: string, verificationIds: readonly string[], listVersions: readonly string[]): Promise<string[]> {
    if (verificationIds.length === 0) return [];
    const rows: Array<{ verification_id: string }> = await tx.query(
      `SELECT verification_id FROM (
         SELECT DISTINCT ON (verification_id) verification_id, list_versions FROM screenings
         WHERE tenant_id = $1 AND verification_id = ANY($2::uuid[])
         ORDER BY verification_id, screened_at DESC
       ) latest WHERE list_versions = $3::uuid[]`,
      [tenantId, verificationIds, listVersions],
    );
    return rows.map((row) => row.verification_id);
  }

  /** Decisions on any hit of these subjects, newest first. */
  async dispositionsFor(tx: TenantTransaction, tenantId: string, subjectKeys: readonly string[]): Promise<DispositionRow[]> {
    if (subjectKeys.length === 0) return [];
    return tx.query(
      `SELECT subject_key, list_name, source_id, content_hash, disposition, review_at FROM screening_dispositions
       WHERE tenant_id = $1 AND subject_key = ANY($2::text[]) ORDER BY decided_at DESC, id`,
      [tenantId, [...new Set(subjectKeys)]],
    );
  }

  /**
   * dispositionsFor in one round trip and no transaction of its own, for ad-hoc screenings (which
   * store through ScreeningGroupCommit). Subject keys are normalised names (A-Z, 0-9, spaces).
   */
  async dispositionsInOneRoundTrip(reader: TenantSnapshotReader, tenantId: string, subjectKeys: readonly string[]): Promise<DispositionRow[]> {
    if (subjectKeys.length === 0) return [];
    return reader.query<DispositionRow>(
      tenantId,
      `SELECT subject_key, list_name, source_id, content_hash, disposition, review_at FROM screening_dispositions
       WHERE tenant_id = $1 AND subject_key = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) ORDER BY decided_at DESC, id`,
      [tenantId, JSON.stringify([...new Set(subjectKeys)])],
    );
  }

  async insertDisposition(tx: TenantTransaction, tenantId: string, disposition: NewDisposition): Promise<{ id: string; decided_at: Date }> {
    const rows: Array<{ id: string; decided_at: Date }> = await tx.query(
      `INSERT INTO screening_dispositions (tenant_id, screening_id, subject_key, list_name, source_id, content_hash, disposition, reason, decided_by, review_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, decided_at`,
      [
        tenantId, disposition.screeningId, disposition.subjectKey, disposition.list, disposition.sdnId, disposition.contentHash,
        disposition.disposition, disposition.reason, disposition.decidedBy, disposition.reviewAt,
      ],
    );
    return rows[0] as { id: string; decided_at: Date };
  }
}
