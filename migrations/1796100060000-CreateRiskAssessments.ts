import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['risk_assessments', 'risk_overrides'];

/**
 * Risk assessments of venues and officers' overrides of their level. Both are history: every
 * assessment and every override is a new row, never updated or deleted by the application (it is
 * granted SELECT and INSERT only). Each assessment keeps its factors with their points and
 * evidence, and the level thresholds it was judged by, so it explains itself later. `seq` orders
 * rows by insertion (the latest is the highest), since a pinned clock can give two rows one time.
 */
export class CreateRiskAssessments1796100060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE risk_assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        verification_id uuid,
        -- squawk-ignore prefer-bigint-over-int
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        level text NOT NULL CHECK (level IN ('approve', 'monitor', 'manual_review', 'block')),
        factors jsonb NOT NULL,
        thresholds jsonb NOT NULL,
        assessed_by text NOT NULL,
        assessed_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX risk_assessments_venue_idx ON risk_assessments (tenant_id, venue_id, seq DESC)');
    await queryRunner.query(`
      CREATE TABLE risk_overrides (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        level text NOT NULL CHECK (level IN ('approve', 'monitor', 'manual_review', 'block')),
        reason text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        CHECK (expires_at > created_at)
      )`);
    await queryRunner.query('CREATE INDEX risk_overrides_venue_idx ON risk_overrides (tenant_id, venue_id, seq DESC)');
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`GRANT SELECT, INSERT ON ${table} TO compliance_app`);
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE risk_overrides');
    await queryRunner.query('DROP TABLE risk_assessments');
  }
}
