import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { RiskLevel, RiskThresholds, ScoredRiskFactor } from '../scoring/risk-score';

export interface RiskAssessmentRow {
  id: string;
  seq: string;
  venue_id: string;
  verification_id: string | null;
  score: number;
  level: RiskLevel;
  factors: ScoredRiskFactor[];
  thresholds: RiskThresholds;
  assessed_by: string;
  assessed_at: Date;
}

export interface RiskOverrideRow {
  id: string;
  venue_id: string;
  level: RiskLevel;
  reason: string;
  expires_at: Date;
  created_by: string;
  created_at: Date;
}

export interface NewRiskAssessment {
  tenantId: string;
  venueId: string;
  verificationId: string | null;
  score: number;
  level: RiskLevel;
  factors: ScoredRiskFactor[];
  thresholds: RiskThresholds;
  assessedBy: string;
  assessedAt: Date;
}

const ASSESSMENT_COLUMNS = 'id, seq, venue_id, verification_id, score, level, factors, thresholds, assessed_by, assessed_at';
const OVERRIDE_COLUMNS = 'id, venue_id, level, reason, expires_at, created_by, created_at';

/** The only code that touches risk_assessments and risk_overrides (both append-only history). */
@Injectable()
export class RiskAssessmentRepository {
  async insert(tx: TenantTransaction, assessment: NewRiskAssessment): Promise<RiskAssessmentRow> {
    const rows: RiskAssessmentRow[] = await tx.query(
      `INSERT INTO risk_assessments (tenant_id, venue_id, verification_id, score, level, factors, thresholds, assessed_by, assessed_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9) RETURNING ${ASSESSMENT_COLUMNS}`,
      [
        assessment.tenantId, assessment.venueId, assessment.verificationId, assessment.score, assessment.level,
        JSON.stringify(assessment.factors), JSON.stringify(assessment.thresholds), assessment.assessedBy, assessment.assessedAt,
      ],
    );
    return rows[0] as RiskAssessmentRow;
  }

  /** Newest first; `beforeSeq` continues after the last row of the previous page. Fetches `limit + 1`. */
  history(tx: TenantTransaction, tenantId: string, venueId: string, beforeSeq: string | undefined, limit: number): Promise<RiskAssessmentRow[]> {
    return tx.query(
      `SELECT ${ASSESSMENT_COLUMNS} FROM risk_assessments WHERE tenant_id = $1 AND venue_id = $2 AND ($3::bigint IS NULL OR seq < $3::bigint)
       ORDER BY seq DESC LIMIT $4`,
      [tenantId, venueId, beforeSeq ?? null, limit + 1],
    );
  }

  async latest(tx: TenantTransaction, tenantId: string, venueId: string): Promise<RiskAssessmentRow | undefined> {
    return (await this.history(tx, tenantId, venueId, undefined, 0))[0];
  }

  async insertOverride(tx: TenantTransaction, tenantId: string, venueId: string, override: { level: RiskLevel; reason: string; expiresAt: Date; createdBy: string; createdAt: Date }): Promise<RiskOverrideRow> {
    const rows: RiskOverrideRow[] = await tx.query(
      `INSERT INTO risk_overrides (tenant_id, venue_id, level, reason, expires_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${OVERRIDE_COLUMNS}`,
      [tenantId, venueId, override.level, override.reason, override.expiresAt, override.createdBy, override.createdAt],
    );
    return rows[0] as RiskOverrideRow;
  }

  async latestOverride(tx: TenantTransaction, tenantId: string, venueId: string): Promise<RiskOverrideRow | undefined> {
    const rows: RiskOverrideRow[] = await tx.query(`SELECT ${OVERRIDE_COLUMNS} FROM risk_overrides WHERE tenant_id = $1 AND venue_id = $2 ORDER BY seq DESC LIMIT 1`, [tenantId, venueId]);
    return rows[0];
  }
}
