import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An alert's timeline, append-only: opened, assigned, status_changed, commented, closed — who,
 * what they wrote, the change, when (Marble's case events).
 */
export class CreateAlertEvents1797100060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alert_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        alert_id uuid NOT NULL REFERENCES screening_alerts (id),
        kind text NOT NULL CHECK (kind IN ('opened', 'assigned', 'status_changed', 'commented', 'closed')),
        actor text NOT NULL,
        text text,
        data jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query('CREATE INDEX alert_events_alert_idx ON alert_events (tenant_id, alert_id, occurred_at)');
    await queryRunner.query('GRANT SELECT, INSERT ON alert_events TO compliance_app');
    await queryRunner.query('ALTER TABLE alert_events ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON alert_events
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE alert_events');
  }
}
