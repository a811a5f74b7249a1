import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventually } from './eventually';
import { queryDatabase } from './flag-store';
import type { TestCaller } from './tokens';

export interface FinishedJobRun {
  status: 'succeeded' | 'failed';
  progress: Record<string, number>;
  error_message: string | null;
}

/** The latest attempt of a queued job, once it has succeeded or failed (job_runs). */
export function finishedRun(databaseUrl: string, jobId: string, timeoutMs = 20_000): Promise<FinishedJobRun> {
  return eventually(async () => {
    const [run] = await queryDatabase<FinishedJobRun>(databaseUrl, 'SELECT status, progress, error_message FROM job_runs WHERE queue_job_id = $1 ORDER BY attempt DESC LIMIT 1', [jobId]);
    return run?.status === 'succeeded' || run?.status === 'failed' ? run : undefined;
  }, timeoutMs, `job ${jobId} finished`);
}

/** Runs a job now through `POST /api/v1/jobs/{name}/run` (an admin) and waits for its outcome. */
export async function runJobNow(app: NestFastifyApplication, admin: TestCaller, databaseUrl: string, name: string): Promise<FinishedJobRun> {
  const response = await app.inject({ method: 'POST', url: `/api/v1/jobs/${name}/run`, headers: admin.headers });
  if (response.statusCode !== 202) throw new Error(`POST /api/v1/jobs/${name}/run: ${response.statusCode} ${response.body}`);
  return finishedRun(databaseUrl, response.json<{ jobId: string }>().jobId);
}
