import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored responses of POST requests sent with an Idempotency-Key, per tenant and caller, so a
 * retried request is answered from here instead of being applied twice. Rows expire after 24 h
 * (IDEMPOTENCY_KEY_TTL_HOURS); expired rows are ignored and overwritten on the next use.
 */
export class CreateIdempotencyKeys1796000300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        tenant_id uuid NOT NULL,
        principal_id text NOT NULL,
        key text NOT NULL,
        request_hash bytea NOT NULL,
        status text NOT NULL CHECK (status IN ('in_progress', 'completed')),
        -- squawk-ignore prefer-bigint-over-int
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, principal_id, key)
      )`);
    await queryRunner.query('CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)');
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO compliance_app');
    await queryRunner.query('ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON idempotency_keys
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
  }
}
