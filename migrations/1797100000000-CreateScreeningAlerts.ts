import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening alerts: one case per hit of a monitored subject (a venue's business or owner) on a
 * list entry, worked open → investigating → closed with an outcome (Marble's case manager:
 * statuses, outcomes, assignee, due date). The partial unique index is the arbiter of "at most one
 * alert not closed per subject and list entry": a re-screen of the same hit, on this instance or
 * another, inserts ON CONFLICT DO NOTHING and opens no duplicate.
 */
export class CreateScreeningAlerts1797100000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE screening_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        screening_id uuid NOT NULL REFERENCES screenings (id),
        subject_key text NOT NULL,
        verification_id uuid NOT NULL,
        venue_id text NOT NULL,
        list_name text NOT NULL,
        source_id text NOT NULL,
        matched_name text NOT NULL,
        score double precision NOT NULL,
        content_hash text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('high', 'medium')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'closed')),
        outcome text CHECK (outcome IN ('confirmed_match', 'false_positive')),
        assignee text,
        due_at timestamptz NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CHECK ((status = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX screening_alerts_one_active_per_hit
        ON screening_alerts (tenant_id, subject_key, list_name, source_id) WHERE status <> 'closed'`);
    await queryRunner.query('CREATE INDEX screening_alerts_queue_idx ON screening_alerts (tenant_id, due_at, id)');
    await queryRunner.query('CREATE INDEX screening_alerts_hit_idx ON screening_alerts (tenant_id, subject_key, list_name, source_id)');
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON screening_alerts TO compliance_app');
    await queryRunner.query('ALTER TABLE screening_alerts ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON screening_alerts
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE screening_alerts');
  }
}
