import type { RetentionRule } from '../retention-rules';

/**
 * What the retention job deletes: restricted records (kept after an erasure only for their rule)
 * whose period has run out. $1 tenant, $2 now, $3 the rule's years. A period runs from the
 * record's own date, or for tax records from the end of the tax year. Sweeps run in this order so
 * that children go before the rows they reference; a row still referenced by a younger one (an
 * alert's screening, a refunded charge, a corrected form) waits for a later run.
 */
export interface RetentionSweep {
  table: string;
  rule: RetentionRule;
  sql: string;
}

function sweep(table: string, rule: RetentionRule, anchor: string, guard = 'true'): RetentionSweep {
  return {
    table,
    rule,
    sql: `DELETE FROM ${table} WHERE tenant_id = $1 AND restricted_at IS NOT NULL AND ${anchor} < $2::timestamptz - make_interval(years => $3) AND ${guard}`,
  };
}

const TAX_YEAR_END = (year: string) => `make_timestamptz(${year} + 1, 1, 1, 0, 0, 0, 'UTC')`;
const ALERT_ANCHOR = 'coalesce(closed_at, opened_at)';

export const RETENTION_SWEEPS: readonly RetentionSweep[] = [
  {
    table: 'alert_events',
    rule: 'ofac',
    sql: `DELETE FROM alert_events WHERE tenant_id = $1 AND alert_id IN (
      SELECT id FROM screening_alerts WHERE tenant_id = $1 AND restricted_at IS NOT NULL AND ${ALERT_ANCHOR} < $2::timestamptz - make_interval(years => $3))`,
  },
  sweep('screening_alerts', 'ofac', ALERT_ANCHOR),
  sweep('screening_dispositions', 'ofac', 'decided_at'),
  sweep(
    'screenings',
    'ofac',
    'screened_at',
    'NOT EXISTS (SELECT 1 FROM screening_alerts a WHERE a.screening_id = screenings.id) AND NOT EXISTS (SELECT 1 FROM screening_dispositions d WHERE d.screening_id = screenings.id)',
  ),
  // Owners and decisions go with their verification (ON DELETE CASCADE).
  sweep('venue_verifications', 'ofac', 'updated_at'),
  sweep('documents', 'irs_form_copies', 'uploaded_at'),
  sweep('tax_forms', 'irs_form_copies', TAX_YEAR_END('tax_year'), 'NOT EXISTS (SELECT 1 FROM tax_forms c WHERE c.corrects_id = tax_forms.id)'),
  sweep(
    'tax_transactions',
    'irs_records',
    TAX_YEAR_END("extract(year FROM occurred_at AT TIME ZONE 'UTC')::int"),
    'NOT EXISTS (SELECT 1 FROM tax_transactions r WHERE r.tenant_id = tax_transactions.tenant_id AND r.original_external_id = tax_transactions.external_id)',
  ),
];
