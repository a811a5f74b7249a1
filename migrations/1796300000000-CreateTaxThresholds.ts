import type { MigrationInterface, QueryRunner } from 'typeorm';

const FEDERAL_YEARS = [2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030];

/**
 * Form 1099-K reporting thresholds as data, one row per jurisdiction and tax year, so a change in
 * the law is a migration, not a deploy of new code. Reference data shared by every tenant: no
 * tenant_id, no row-level security; the application role may only read it.
 *
 * Every row is an "exceeds" test: a payee is reportable when its gross amount is greater than
 * `gross_minor` and, when `transactions` is set, its transaction count is greater than it. A
 * threshold written "$600 or more" (several states) is stored as 59999 cents: amounts are whole
 * cents, so "> $599.99" is the same test. A NULL `transactions` means no count test.
 *
 * Federal rows (jurisdiction 'US'), tax years 2022-2030: gross > $20,000 AND more than 200
 * transactions.
 *   - IRC §6050W(e) (26 U.S.C. §6050W(e)), as amended by Public Law 119-21 ("One Big Beautiful
 *     Bill Act", 4 July 2025) §70432, which restored the pre-2022 de minimis rule.
 *   - §70432 applies as if included in the American Rescue Plan Act of 2021 (Public Law 117-2)
 *     §9674, so it governs every calendar year after 2021: ARPA's $600 threshold never applied,
 *     and the IRS's transition thresholds ($5,000 for 2024, $2,500 for 2025, $600 for 2026,
 *     Notice 2023-74 / 2024-85) never took effect.
 *   - The threshold is not adjusted for inflation (IRS Fact Sheet 2025-08, October 2025).
 *   - Payment-card transactions have no de minimis threshold (§6050W(e) covers third party network
 *     transactions only); this service settles through a third party network.
 * States may set lower thresholds; none is seeded: add rows (e.g. 'US-MA') in a later migration
 * with their own source cited.
 */
export class CreateTaxThresholds1796300000000 implements MigrationInterface {
  /** The rows `up` seeds are reference data, not records: reverting loses none (destructive-down-guard.ts). */
  readonly seededRows = { tax_thresholds: FEDERAL_YEARS.length };

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tax_thresholds (
        jurisdiction text NOT NULL CHECK (jurisdiction ~ '^US(-[A-Z]{2})?$'),
        -- squawk-ignore prefer-bigint-over-int
        tax_year integer NOT NULL CHECK (tax_year BETWEEN 2000 AND 2100),
        form text NOT NULL DEFAULT '1099-K' CHECK (form = '1099-K'),
        gross_minor bigint NOT NULL CHECK (gross_minor >= 0),
        transactions bigint CHECK (transactions >= 0),
        currency text NOT NULL DEFAULT 'USD' CHECK (currency = 'USD'),
        source text NOT NULL,
        PRIMARY KEY (jurisdiction, tax_year, form)
      )`);
    await queryRunner.query(
      `INSERT INTO tax_thresholds (jurisdiction, tax_year, gross_minor, transactions, source)
       SELECT 'US', year, 2000000, 200,
         'IRC §6050W(e) as amended by Pub. L. 119-21 §70432 (4 July 2025), applying as if included in ARPA §9674; not inflation-adjusted (IRS Fact Sheet 2025-08)'
       FROM unnest($1::integer[]) AS year`,
      [FEDERAL_YEARS],
    );
    await queryRunner.query('GRANT SELECT ON tax_thresholds TO compliance_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tax_thresholds');
  }
}
