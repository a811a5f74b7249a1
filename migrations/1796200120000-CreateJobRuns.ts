import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per attempt of a background job (src/jobs): when it ran, how it ended, the progress
 * counts its handler reported, and for failures the error's type and a message without values.
 * pg-boss keeps jobs for days and archives them; this is what `GET /api/v1/jobs` and the
 * last-success metric read. Platform data, not tenant data: no tenant_id, no row-level security.
 */
export class CreateJobRuns1796200120000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE job_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_name text NOT NULL,
        queue_job_id uuid NOT NULL,
        -- squawk-ignore prefer-bigint-over-int
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        progress jsonb NOT NULL DEFAULT '{}',
        error_type text,
        error_message text,
        instance text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX job_runs_latest_idx ON job_runs (job_name, started_at DESC)');
    await queryRunner.query('CREATE INDEX job_runs_last_success_idx ON job_runs (job_name, finished_at DESC) WHERE status = \'succeeded\'');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE job_runs');
  }
}
