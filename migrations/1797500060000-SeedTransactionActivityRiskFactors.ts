import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transaction activity as risk factors (issue 11's volume/velocity, issue 12's "a venue crossing a
 * threshold becomes a risk factor"), observed from the tax ledger by
 * src/modules/risk/scoring/transaction-activity-facts.ts. Ratio thresholds are percent. Volume and
 * velocity count net sales (charges less refunds and chargebacks); the 1099-K factor counts the
 * form's gross, which refunds do not reduce.
 *
 * - `tax.threshold_crossed`, 5 points per jurisdiction: the calendar year meets a Form 1099-K
 *   threshold (tax_thresholds; federal: gross over $20,000 and over 200 transactions), by the tax
 *   summary's own test. The venue is now a reportable payee whose legal name and TIN must match
 *   the IRS's records, or B-notices and backup withholding follow (IRC §3406). Crossing is the
 *   normal course of a trading venue, so it shows without deciding anything: half a missing
 *   document. Per jurisdiction, as each state's threshold is another filing on the same payee data.
 * - `volume.observed_over_expected`, 15 points, threshold 200 %: this year's net sales annualised
 *   are at least twice the expected annual volume declared at verification. The venue was reviewed
 *   (four-eyes, volume.expected_*) for the volume it declared; twice that is the sign of a
 *   misdeclared business or of an account processing someone else's sales. Not 150 %: ticket sales
 *   are lumpy (one sold-out show, a festival season) and annualising a part year magnifies them.
 *   With nothing else, it reaches `monitor` together with an unscreened venue.
 * - `velocity.spike`, 15 points, threshold 300 %: the last 30 days' net sales are at least three
 *   times the average 30 days of the 90 before (and at least $5,000, so a first sale is no spike).
 *   A sudden surge is the pattern of bust-out fraud and of an account taken over or lent out, with
 *   chargebacks weeks later; an on-sale for a big show can triple a month honestly, so it asks for
 *   monitoring, not review.
 */
const FACTORS: ReadonlyArray<[key: string, points: number, threshold: number | null, description: string]> = [
  ['tax.threshold_crossed', 5, null, 'The venue\'s payments this calendar year exceed a Form 1099-K reporting threshold (federal or a state\'s); per jurisdiction'],
  ['volume.observed_over_expected', 15, 200, 'Net sales this calendar year, annualised, are at least the threshold percent of the expected annual volume declared at verification (default 200 %)'],
  ['velocity.spike', 15, 300, 'Net sales of the last 30 days are at least the threshold percent of the average 30 days of the 90 before (default 300 %), and at least $5,000'],
];
const KEYS = FACTORS.map(([key]) => key);

export class SeedTransactionActivityRiskFactors1797500060000 implements MigrationInterface {
  /** Catalogue rows in CreateRiskFactorWeights' table, which this down deletes before that down drops it (destructive-down-guard.ts). */
  readonly seededRows = { risk_factor_weights: FACTORS.length };

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO risk_factor_weights (factor_key, points, threshold, description)
       SELECT factor.key, factor.points, factor.threshold, factor.description
       FROM jsonb_to_recordset($1::jsonb) AS factor(key text, points integer, threshold bigint, description text)
       ON CONFLICT (factor_key) DO NOTHING`,
      [JSON.stringify(FACTORS.map(([key, points, threshold, description]) => ({ key, points, threshold, description })))],
    );
  }

  /** Tenants' overrides of these factors refer to their rows, and mean nothing without them. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM risk_weight_overrides WHERE factor_key = ANY($1)', [KEYS]);
    await queryRunner.query('DELETE FROM risk_factor_weights WHERE factor_key = ANY($1)', [KEYS]);
  }
}
