import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk scoring weights are data, not code (issue 11): one catalogue row per factor the scorer can
 * observe, with its default points, and per-tenant overrides of the points. The catalogue is the
 * same for every tenant, so it has no tenant_id and no row-level security; the application role may
 * only read it. `threshold` is the value from which a threshold factor applies (expected annual
 * volume in cents); null for factors that are simply present or not.
 *
 * Defaults: a sanctions `match` alone reaches the default block level (70, RISK_LEVEL_THRESHOLDS),
 * because OFAC prohibits dealings with listed parties (31 CFR 501); a potential match alone asks
 * for monitoring until an officer has cleared it. Missing and rejected documents count per item.
 */
const FACTORS: ReadonlyArray<[key: string, points: number, threshold: number | null, description: string]> = [
  ['verification.not_verified', 15, null, 'The venue\'s verification is pending or in review: not verified yet'],
  ['verification.action_required', 25, null, 'An officer requested changes to the venue\'s submission'],
  ['verification.rejected', 50, null, 'The venue\'s verification was rejected'],
  ['verification.expired', 20, null, 'The venue\'s verification expired and needs renewal'],
  ['documents.missing', 10, null, 'A required document (W-9, ID of a beneficial owner) has not been provided; per document'],
  ['documents.rejected', 15, null, 'A required document was rejected or sent back for revision; per document'],
  ['screening.not_run', 10, null, 'The venue\'s parties have not been screened against sanctions lists yet'],
  ['screening.potential_match', 35, null, 'Sanctions screening found a potential match that awaits an officer\'s review'],
  ['screening.match', 70, null, 'A party of the venue matches a sanctions list entry'],
  ['flags.open.low', 5, null, 'An open risk flag of low severity; per flag'],
  ['flags.open.medium', 15, null, 'An open risk flag of medium severity; per flag'],
  ['flags.open.high', 30, null, 'An open risk flag of high severity; per flag'],
  ['flags.open.critical', 50, null, 'An open risk flag of critical severity; per flag'],
  ['volume.expected_high', 10, 100_000_000, 'Expected annual volume of at least the threshold (cents; default $1M)'],
  ['volume.expected_very_high', 15, 1_000_000_000, 'Expected annual volume of at least the threshold (cents; default $10M), in addition to volume.expected_high'],
];

export class CreateRiskFactorWeights1796100000000 implements MigrationInterface {
  /** The rows `up` seeds are reference data, not records: reverting loses none (destructive-down-guard.ts). */
  readonly seededRows = { risk_factor_weights: FACTORS.length };

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE risk_factor_weights (
        factor_key text PRIMARY KEY,
        -- squawk-ignore prefer-bigint-over-int
        points integer NOT NULL CHECK (points BETWEEN 0 AND 100),
        threshold bigint CHECK (threshold >= 0),
        description text NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO risk_factor_weights (factor_key, points, threshold, description)
       SELECT factor.key, factor.points, factor.threshold, factor.description
       FROM jsonb_to_recordset($1::jsonb) AS factor(key text, points integer, threshold bigint, description text)`,
      [JSON.stringify(FACTORS.map(([key, points, threshold, description]) => ({ key, points, threshold, description })))],
    );
    await queryRunner.query('GRANT SELECT ON risk_factor_weights TO compliance_app');
    await queryRunner.query(`
      CREATE TABLE risk_weight_overrides (
        tenant_id uuid NOT NULL,
        factor_key text NOT NULL REFERENCES risk_factor_weights (factor_key),
        -- squawk-ignore prefer-bigint-over-int
        points integer NOT NULL CHECK (points BETWEEN 0 AND 100),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, factor_key)
      )`);
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON risk_weight_overrides TO compliance_app');
    await queryRunner.query('ALTER TABLE risk_weight_overrides ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON risk_weight_overrides
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE risk_weight_overrides');
    await queryRunner.query('DROP TABLE risk_factor_weights');
  }
}
