import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payment transactions Form 1099-K is computed from, one row per external id and tenant
 * (the idempotency key of POST /api/v1/tax/transactions and of the webhooks). Amounts are integer
 * minor units: charges and transfers positive, refunds and chargebacks negative and linked to the
 * charge they reverse (same tenant). Rows are never updated or deleted: a mistake is reversed by
 * another transaction. The summary reads by (tenant, venue, time).
 */
export class CreateTaxTransactions1796300060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tax_transactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        external_id text NOT NULL,
        venue_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        amount_minor bigint NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        kind text NOT NULL CHECK (kind IN ('charge', 'refund', 'chargeback', 'transfer')),
        original_external_id text,
        source text NOT NULL CHECK (source IN ('api', 'stripe', 'platform')),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tax_transactions_external_id_key UNIQUE (tenant_id, external_id),
        CONSTRAINT tax_transactions_original_fkey FOREIGN KEY (tenant_id, original_external_id) REFERENCES tax_transactions (tenant_id, external_id),
        CONSTRAINT tax_transactions_sign CHECK (
          CASE WHEN kind IN ('refund', 'chargeback') THEN amount_minor < 0 AND original_external_id IS NOT NULL ELSE amount_minor > 0 AND original_external_id IS NULL END
        )
      )`);
    await queryRunner.query('CREATE INDEX tax_transactions_venue_time_idx ON tax_transactions (tenant_id, venue_id, occurred_at)');
    await queryRunner.query('CREATE INDEX tax_transactions_time_idx ON tax_transactions (tenant_id, occurred_at)');
    await queryRunner.query('CREATE INDEX tax_transactions_original_idx ON tax_transactions (tenant_id, original_external_id) WHERE original_external_id IS NOT NULL');
    await queryRunner.query('GRANT SELECT, INSERT ON tax_transactions TO compliance_app');
    await queryRunner.query('ALTER TABLE tax_transactions ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON tax_transactions
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tax_transactions');
  }
}
