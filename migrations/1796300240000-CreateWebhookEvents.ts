import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox of signed webhooks (Stripe, the platform): each event once per source and event id.
 * The row is inserted in the same transaction that applies the event, so a redelivery either
 * finds it (answered 200, not applied again) or finds nothing because the first attempt rolled
 * back (applied now). Only events that belong to a tenant are stored; the others are acknowledged
 * and ignored. No body is kept: the effects (tax transactions, audit entries) are the record.
 */
export class CreateWebhookEvents1796300240000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        source text NOT NULL CHECK (source IN ('stripe', 'platform')),
        event_id text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CONSTRAINT webhook_events_source_event_key UNIQUE (source, event_id)
      )`);
    await queryRunner.query('CREATE INDEX webhook_events_tenant_received_idx ON webhook_events (tenant_id, received_at)');
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON webhook_events TO compliance_app');
    await queryRunner.query('ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON webhook_events
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE webhook_events');
  }
}
