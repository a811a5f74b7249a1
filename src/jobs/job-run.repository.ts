import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { JobProgress } from './job-definition';

export type JobRunStatus = 'running' | 'succeeded' | 'failed';

export interface JobRunRow {
  id: string;
  job_name: string;
  queue_job_id: string;
  attempt: number;
  status: JobRunStatus;
  started_at: Date;
  finished_at: Date | null;
  progress: JobProgress;
  error_type: string | null;
  error_message: string | null;
  instance: string;
}

export interface RunOutcome {
  status: Exclude<JobRunStatus, 'running'>;
  progress: JobProgress;
  error?: { type: string; message: string };
}

/**
 * The only code that touches job_runs. Platform data outside row-level security: it runs on the
 * app's DataSource as the login role, never inside a tenant transaction.
 */
@Injectable()
export class JobRunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async start(jobName: string, queueJobId: string, attempt: number, instance: string): Promise<string> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      "INSERT INTO job_runs (job_name, queue_job_id, attempt, status, instance) VALUES ($1, $2, $3, 'running', $4) RETURNING id",
      [jobName, queueJobId, attempt, instance],
    );
    return (rows[0] as { id: string }).id;
  }

  async progress(id: string, progress: JobProgress): Promise<void> {
    await this.dataSource.query('UPDATE job_runs SET progress = $2::jsonb WHERE id = $1', [id, JSON.stringify(progress)]);
  }

  async finish(id: string, outcome: RunOutcome): Promise<void> {
    await this.dataSource.query(
      'UPDATE job_runs SET status = $2, progress = $3::jsonb, error_type = $4, error_message = $5, finished_at = now() WHERE id = $1',
      [id, outcome.status, JSON.stringify(outcome.progress), outcome.error?.type ?? null, outcome.error?.message ?? null],
    );
  }

  /** The newest `perJob` runs of each named job, newest first. */
  async latest(jobNames: readonly string[], perJob: number): Promise<JobRunRow[]> {
    return this.dataSource.query(
      `SELECT r.* FROM unnest($1::text[]) AS j(name)
       CROSS JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = j.name ORDER BY started_at DESC LIMIT $2) r
       ORDER BY r.job_name, r.started_at DESC`,
      [jobNames, perJob],
    );
  }

  /** When each named job last succeeded (jobs that never did are absent). */
  async lastSuccesses(jobNames: readonly string[]): Promise<Map<string, Date>> {
    const rows: Array<{ name: string; finished_at: Date }> = await this.dataSource.query(
      `SELECT j.name, r.finished_at FROM unnest($1::text[]) AS j(name)
       CROSS JOIN LATERAL (SELECT finished_at FROM job_runs WHERE job_name = j.name AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1) r`,
      [jobNames],
    );
    return new Map(rows.map((row) => [row.name, row.finished_at]));
  }

  async deleteFinishedBefore(cutoff: Date): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query("DELETE FROM job_runs WHERE status <> 'running' AND started_at < $1", [cutoff]);
    return affected;
  }
}
