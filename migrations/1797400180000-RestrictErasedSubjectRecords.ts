import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Records an erasure must keep for a retention rule: src/modules/privacy/subject-data-map.ts. */
const RESTRICTABLE = ['venue_verifications', 'beneficial_owners', 'documents', 'screenings', 'screening_alerts', 'screening_dispositions', 'tax_transactions', 'tax_forms'];
/** Tables the application role may otherwise only read and append: it may set the restriction alone. */
const APPEND_ONLY = ['screenings', 'screening_dispositions', 'tax_transactions', 'tax_forms'];
/** Data no law requires us to keep, which an erasure deletes. */
const ERASABLE = ['documents', 'document_contents', 'risk_assessments', 'risk_overrides', 'risk_flags'];

/**
 * Restriction of processing (GDPR Art. 18) for what an erasure may not delete: IRS and OFAC
 * records stay, marked `restricted_at` with the retention rule that keeps them. A restrictive
 * policy hides them from every read of the application role unless the transaction has set
 * `app.read_restricted` (the privacy module does, for a compliance manager who gives a reason, for
 * Form 1099-K generation, and for the erasure itself). Adding nullable columns rewrites nothing.
 */
export class RestrictErasedSubjectRecords1797400180000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of RESTRICTABLE) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN restricted_at timestamptz, ADD COLUMN restriction_basis text`);
      await queryRunner.query(`
        CREATE POLICY hide_restricted ON ${table} AS RESTRICTIVE FOR SELECT TO compliance_app
          USING (restricted_at IS NULL OR current_setting('app.read_restricted', true) = 'on')`);
    }
    for (const table of APPEND_ONLY) await queryRunner.query(`GRANT UPDATE (restricted_at, restriction_basis) ON ${table} TO compliance_app`);
    for (const table of ERASABLE) await queryRunner.query(`GRANT DELETE ON ${table} TO compliance_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ERASABLE) await queryRunner.query(`REVOKE DELETE ON ${table} FROM compliance_app`);
    for (const table of APPEND_ONLY) await queryRunner.query(`REVOKE UPDATE (restricted_at, restriction_basis) ON ${table} FROM compliance_app`);
    for (const table of RESTRICTABLE) {
      await queryRunner.query(`DROP POLICY IF EXISTS hide_restricted ON ${table}`);
      // Older code never reads the columns; restricted rows become ordinary rows again, which a
      // rollback has to accept (the erasure's audit entry still records what was restricted).
      await queryRunner.query(`
        -- squawk-ignore ban-drop-column
        ALTER TABLE ${table} DROP COLUMN restriction_basis, DROP COLUMN restricted_at`);
    }
  }
}
