import type { RiskFlagView } from '../dto/risk-flag.dto';
import type { RiskFlagRow } from './risk-flag.repository';

export function toRiskFlagView(row: RiskFlagRow): RiskFlagView {
  return {
    id: row.id,
    venueId: row.venue_id,
    severity: row.severity,
    category: row.category,
    description: row.description,
    status: row.status,
    raisedBy: row.raised_by,
    raisedAt: row.raised_at.toISOString(),
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolutionNote: row.resolution_note,
  };
}
