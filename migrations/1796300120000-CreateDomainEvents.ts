import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts a module announces to whoever cares (first: `tax.threshold_crossed`), written in the
 * transaction that made them true. Generic on purpose: `type` names the event, `payload` is its
 * JSON body, `dedup_key` (optional) makes an event happen at most once per tenant and type. An
 * outbox publisher can later read rows in `id` order and add its own bookkeeping columns; nothing
 * here assumes one. Rows are never updated or deleted by the application.
 */
export class CreateDomainEvents1796300120000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE domain_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL,
        type text NOT NULL,
        dedup_key text,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX domain_events_dedup_idx ON domain_events (tenant_id, type, dedup_key) WHERE dedup_key IS NOT NULL');
    await queryRunner.query('CREATE INDEX domain_events_tenant_type_idx ON domain_events (tenant_id, type, created_at)');
    await queryRunner.query('GRANT SELECT, INSERT ON domain_events TO compliance_app');
    await queryRunner.query('ALTER TABLE domain_events ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON domain_events
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE domain_events');
  }
}
