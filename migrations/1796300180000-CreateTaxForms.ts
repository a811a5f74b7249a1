import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated Form 1099-K records: one original per venue and tax year (the partial unique index
 * makes generation idempotent under races), and corrections as new rows linked to the form they
 * correct (at most one each, so corrections form a chain). The payee's legal name and TIN are
 * copied at generation time; the TIN is sealed again with the field cipher (AES-256-GCM, key id
 * per row). Monthly gross amounts are the form's boxes 5a-5l, January first. Never updated.
 */
export class CreateTaxForms1796300180000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tax_forms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        -- squawk-ignore prefer-bigint-over-int
        tax_year integer NOT NULL,
        form text NOT NULL DEFAULT '1099-K' CHECK (form = '1099-K'),
        corrects_id uuid REFERENCES tax_forms (id),
        legal_name text NOT NULL,
        tin_ciphertext bytea NOT NULL,
        tin_key_id text NOT NULL,
        tin_last4 text NOT NULL,
        gross_minor bigint NOT NULL CHECK (gross_minor >= 0),
        transactions bigint NOT NULL CHECK (transactions >= 0),
        monthly_gross_minor bigint[] NOT NULL CHECK (cardinality(monthly_gross_minor) = 12),
        jurisdictions text[] NOT NULL,
        generated_by text NOT NULL,
        generated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX tax_forms_one_original_idx ON tax_forms (tenant_id, venue_id, tax_year, form) WHERE corrects_id IS NULL');
    await queryRunner.query('CREATE UNIQUE INDEX tax_forms_one_correction_idx ON tax_forms (corrects_id) WHERE corrects_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX tax_forms_year_idx ON tax_forms (tenant_id, tax_year, venue_id)');
    await queryRunner.query('GRANT SELECT, INSERT ON tax_forms TO compliance_app');
    await queryRunner.query('ALTER TABLE tax_forms ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON tax_forms
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tax_forms');
  }
}
