import type { RiskAssessmentView, RiskOverrideView } from '../dto/risk.dto';
import type { RiskAssessmentRow, RiskOverrideRow } from './risk-assessment.repository';

export function toAssessmentView(row: RiskAssessmentRow): RiskAssessmentView {
  return {
    id: row.id,
    venueId: row.venue_id,
    verificationId: row.verification_id,
    score: row.score,
    level: row.level,
    factors: row.factors,
    thresholds: row.thresholds,
    assessedBy: row.assessed_by,
    assessedAt: row.assessed_at.toISOString(),
  };
}

export function toOverrideView(row: RiskOverrideRow, now: Date): RiskOverrideView {
  return {
    id: row.id,
    level: row.level,
    reason: row.reason,
    expiresAt: row.expires_at.toISOString(),
    expired: row.expires_at <= now,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}
