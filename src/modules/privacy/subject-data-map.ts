import type { RetentionRule } from './retention-rules';

/**
 * Where this service holds a data subject's records, and what an erasure does to each: the one
 * reviewed list (a record of processing, GDPR Art. 30) that the access export, the erasure and the
 * retention job read. It names other modules' tables on purpose: a privacy map that lives in ten
 * modules is the one nobody can check; test/privacy asserts that every tenant table holding a
 * venue's data appears here.
 *
 * The subject is a payee venue ($2), within a tenant ($1). Queries run as the application role in
 * the tenant's transaction with restricted rows revealed (tenant-transaction.ts revealRestricted).
 */
export interface SubjectRecordSet {
  /** Key of the records in the access export. */
  name: string;
  table: string;
  /** Columns a person can read: never ciphertexts or keyed hashes. */
  exportSql: string;
  erasure: ErasureStep[];
}

export type ErasureStep =
  | { outcome: 'deleted' | 'anonymised'; sql: string }
  | { outcome: 'restricted'; rule: RetentionRule; sql: string };

const VERIFICATIONS = 'SELECT id FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2';
const ALERTS = 'SELECT id FROM screening_alerts WHERE tenant_id = $1 AND venue_id = $2';
/** Screenings of the venue's verifications, and ad-hoc screenings keyed by the venue. */
const SCREENINGS_WHERE = `tenant_id = $1 AND (verification_id IN (${VERIFICATIONS}) OR starts_with(subject_key, 'venue:' || $2 || ':'))`;

function restrict(table: string, where: string, rule: RetentionRule): ErasureStep {
  return {
    outcome: 'restricted',
    rule,
    sql: `UPDATE ${table} SET restricted_at = now(), restriction_basis = '${rule}' WHERE ${where} AND restricted_at IS NULL`,
  };
}

function remove(table: string, where: string): ErasureStep {
  return { outcome: 'deleted', sql: `DELETE FROM ${table} WHERE ${where}` };
}

export const SUBJECT_DATA_MAP: readonly SubjectRecordSet[] = [
  {
    name: 'verifications',
    table: 'venue_verifications',
    exportSql: `SELECT id, venue_id, state, legal_name, ein_last4, business_address, contact_email, expected_annual_volume_cents, sanctions_status, risk_status,
      payout_disabled_reason, submitted_by, submitted_at, decided_at, verified_at, expires_at, restricted_at, restriction_basis
      FROM venue_verifications WHERE tenant_id = $1 AND venue_id = $2 ORDER BY submitted_at, id`,
    // The identity that was screened is an OFAC record; how to reach the venue by e-mail is not.
    erasure: [
      { outcome: 'anonymised', sql: `UPDATE venue_verifications SET contact_email = '' WHERE tenant_id = $1 AND venue_id = $2 AND contact_email <> ''` },
      restrict('venue_verifications', 'tenant_id = $1 AND venue_id = $2', 'ofac'),
    ],
  },
  {
    name: 'beneficialOwners',
    table: 'beneficial_owners',
    exportSql: `SELECT id, verification_id, full_name, date_of_birth, ownership_percent, restricted_at, restriction_basis
      FROM beneficial_owners WHERE tenant_id = $1 AND verification_id IN (${VERIFICATIONS}) ORDER BY verification_id, id`,
    erasure: [restrict('beneficial_owners', `tenant_id = $1 AND verification_id IN (${VERIFICATIONS})`, 'ofac')],
  },
  {
    name: 'verificationDecisions',
    table: 'verification_decisions',
    exportSql: `SELECT id, verification_id, review_round, officer_id, decision, reason, decided_at
      FROM verification_decisions WHERE tenant_id = $1 AND verification_id IN (${VERIFICATIONS}) ORDER BY decided_at, id`,
    // The decision stays with its verification; an officer's free-text reason about people goes.
    erasure: [{ outcome: 'anonymised', sql: `UPDATE verification_decisions SET reason = NULL WHERE tenant_id = $1 AND verification_id IN (${VERIFICATIONS}) AND reason IS NOT NULL` }],
  },
  {
    name: 'documents',
    table: 'documents',
    exportSql: `SELECT id, venue_id, owner_id, kind, content_type, size_bytes, encode(sha256, 'hex') AS sha256, file_name, status, decision_reason, decided_by, decided_at,
      uploaded_by, uploaded_at, restricted_at, restriction_basis
      FROM documents WHERE tenant_id = $1 AND venue_id = $2 ORDER BY uploaded_at, id`,
    // A W-9 is the payee's certification behind its 1099-K; ID scans and licences are not needed.
    erasure: [
      restrict('documents', `tenant_id = $1 AND venue_id = $2 AND kind = 'W9'`, 'irs_form_copies'),
      remove('documents', `tenant_id = $1 AND venue_id = $2 AND kind <> 'W9'`),
    ],
  },
  {
    name: 'screenings',
    table: 'screenings',
    exportSql: `SELECT id, subject_key, verification_id, query, result, list_versions, matches, suppressed, screened_by, screened_at, restricted_at, restriction_basis
      FROM screenings WHERE ${SCREENINGS_WHERE} ORDER BY screened_at, id`,
    erasure: [restrict('screenings', SCREENINGS_WHERE, 'ofac')],
  },
  {
    name: 'screeningDispositions',
    table: 'screening_dispositions',
    exportSql: `SELECT id, screening_id, subject_key, list_name, source_id, disposition, reason, decided_by, decided_at, review_at, restricted_at, restriction_basis
      FROM screening_dispositions WHERE tenant_id = $1 AND starts_with(subject_key, 'venue:' || $2 || ':') ORDER BY decided_at, id`,
    erasure: [restrict('screening_dispositions', `tenant_id = $1 AND starts_with(subject_key, 'venue:' || $2 || ':')`, 'ofac')],
  },
  {
    name: 'alerts',
    table: 'screening_alerts',
    exportSql: `SELECT id, screening_id, verification_id, list_name, source_id, matched_name, score, severity, status, outcome, assignee, due_at, opened_at, closed_at,
      restricted_at, restriction_basis
      FROM screening_alerts WHERE tenant_id = $1 AND venue_id = $2 ORDER BY opened_at, id`,
    erasure: [restrict('screening_alerts', 'tenant_id = $1 AND venue_id = $2', 'ofac')],
  },
  {
    name: 'alertEvents',
    table: 'alert_events',
    exportSql: `SELECT id, alert_id, kind, actor, text, data, occurred_at FROM alert_events WHERE tenant_id = $1 AND alert_id IN (${ALERTS}) ORDER BY occurred_at, id`,
    // Part of the restricted alert's case file: hidden with it (every read goes through the alert).
    erasure: [],
  },
  {
    name: 'riskAssessments',
    table: 'risk_assessments',
    exportSql: 'SELECT id, verification_id, score, level, factors, assessed_by, assessed_at FROM risk_assessments WHERE tenant_id = $1 AND venue_id = $2 ORDER BY seq',
    // A score is derived and recomputable; no rule requires keeping it.
    erasure: [remove('risk_assessments', 'tenant_id = $1 AND venue_id = $2')],
  },
  {
    name: 'riskOverrides',
    table: 'risk_overrides',
    exportSql: 'SELECT id, level, reason, expires_at, created_by, created_at FROM risk_overrides WHERE tenant_id = $1 AND venue_id = $2 ORDER BY seq',
    erasure: [remove('risk_overrides', 'tenant_id = $1 AND venue_id = $2')],
  },
  {
    name: 'riskFlags',
    table: 'risk_flags',
    exportSql: `SELECT id, severity, category, description, status, raised_by, raised_at, resolved_by, resolved_at, resolution_note
      FROM risk_flags WHERE tenant_id = $1 AND venue_id = $2 ORDER BY seq`,
    erasure: [remove('risk_flags', 'tenant_id = $1 AND venue_id = $2')],
  },
  {
    name: 'processorAccounts',
    table: 'venue_processor_accounts',
    exportSql: `SELECT processor, account_id, payouts_enabled, disabled_reason, past_due, event_id, reported_at, updated_at
      FROM venue_processor_accounts WHERE tenant_id = $1 AND venue_id = $2 ORDER BY processor`,
    // What the processor last said of the venue's account: the processor keeps its own records.
    erasure: [remove('venue_processor_accounts', 'tenant_id = $1 AND venue_id = $2')],
  },
  {
    name: 'taxTransactions',
    table: 'tax_transactions',
    exportSql: `SELECT id, external_id, occurred_at, amount_minor, currency, kind, original_external_id, source, recorded_at, restricted_at, restriction_basis
      FROM tax_transactions WHERE tenant_id = $1 AND venue_id = $2 ORDER BY occurred_at, id`,
    erasure: [restrict('tax_transactions', 'tenant_id = $1 AND venue_id = $2', 'irs_records')],
  },
  {
    name: 'taxForms',
    table: 'tax_forms',
    exportSql: `SELECT id, tax_year, form, corrects_id, legal_name, tin_last4, gross_minor, transactions, monthly_gross_minor, jurisdictions, generated_by, generated_at,
      restricted_at, restriction_basis
      FROM tax_forms WHERE tenant_id = $1 AND venue_id = $2 ORDER BY tax_year, generated_at, id`,
    erasure: [restrict('tax_forms', 'tenant_id = $1 AND venue_id = $2', 'irs_form_copies')],
  },
];
