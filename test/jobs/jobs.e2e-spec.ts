import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../../src/app.factory';
import { TenantTransactions } from '../../src/database/tenant-transaction';
import { JobsService } from '../../src/jobs/jobs.service';
import { ALWAYS_FAILS_JOB, ECHO_JOB, FixtureJobsModule, TICK_JOB } from '../fixtures/fixture-jobs.module';
import { eventually } from '../helpers/eventually';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { expectProblem } from '../helpers/problem';
import { parsePrometheusText, samplesOf } from '../helpers/prometheus-text';
import { testConfig } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';

/** Fast polling so runs start within a second; cron checked every second by each instance. */
const FAST_JOBS = { JOBS_POLL_INTERVAL_SECONDS: '0.5', JOBS_CRON_CHECK_INTERVAL_SECONDS: '1' };

interface RunView {
  jobId: string;
  attempt: number;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  progress: Record<string, number>;
  error: { type: string; message: string } | null;
}
interface JobView {
  name: string;
  schedule: { cron: string; period: string } | null;
  queue: { waiting: number; active: number };
  lastRuns: RunView[];
}

describe('background jobs on pg-boss, two instances sharing one database', () => {
  let database: { url: string; drop: () => Promise<void> };
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let admin: TestCaller;
  let manager: TestCaller;

  const start = async () => {
    const app = await createApp(testConfig({ DATABASE_URL: database.url, ...FAST_JOBS }), [FixtureJobsModule]);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  };
  const sql = <T>(text: string, parameters: unknown[] = []) => queryDatabase<T>(database.url, text, parameters);
  const jobs = async (app = a, caller = manager): Promise<JobView[]> => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/jobs', headers: caller.headers });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: JobView[] }>().items;
  };
  const runsOf = async (jobId: string): Promise<RunView[]> => (await jobs()).flatMap((job) => job.lastRuns).filter((run) => run.jobId === jobId);

  beforeAll(async () => {
    database = await migratedScratchDatabase('jobs');
    [a, b] = [await start(), await start()];
    admin = await callerOf(['admin']);
    manager = await callerOf(['compliance_manager']);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  it('runs a scheduled job once per cron tick although both instances check the schedule every second', async () => {
    await eventually(async () => ((await sql("SELECT 1 FROM job_runs WHERE job_name = $1 AND status = 'succeeded'", [TICK_JOB.name])).length > 0 ? true : undefined), 15_000, 'a first tick');
    // Several more cron checks by each instance: without pg-boss's cron lock and singleton slot, each would send one.
    await sleep(4_000);
    const perTick = await sql<{ tick: Date; jobs: number }>(
      `SELECT date_trunc('minute', created_on) AS tick, count(*)::int AS jobs FROM pgboss.job WHERE name = $1 GROUP BY 1`,
      [TICK_JOB.name],
    );
    expect(perTick.length).toBeGreaterThanOrEqual(1);
    expect(perTick.every((tick) => tick.jobs === 1)).toBe(true);
    const runs = await sql<{ queue_job_id: string }>('SELECT queue_job_id FROM job_runs WHERE job_name = $1', [TICK_JOB.name]);
    expect(new Set(runs.map((run) => run.queue_job_id)).size).toBe(runs.length);
    const tick = (await jobs(b)).find((job) => job.name === TICK_JOB.name) as JobView;
    expect(tick.schedule).toMatchObject({ cron: '* * * * *', period: 'hourly' });
    expect(tick.lastRuns[0]).toMatchObject({ status: 'succeeded', progress: { ticks: 1 }, error: null });
  }, 30_000);

  it('creates a job enqueued inside a tenant transaction only when that transaction commits', async () => {
    const service = a.get(JobsService);
    const transactions = a.get(TenantTransactions);
    const tenant = { tenantId: admin.tenantId };
    let rolledBackId: string | null = null;
    await expect(
      transactions.withTenantTransaction(tenant, async (tx) => {
        rolledBackId = await service.enqueue(ECHO_JOB, { note: 'never' }, { tx });
        throw new Error('the domain change fails');
      }),
    ).rejects.toThrow('the domain change fails');
    expect(rolledBackId).toEqual(expect.any(String));
    expect(await sql('SELECT id FROM pgboss.job WHERE id = $1', [rolledBackId])).toEqual([]);

    const committedId = await transactions.withTenantTransaction(tenant, (tx) => service.enqueue(ECHO_JOB, { note: 'committed' }, { tx }));
    const [run] = await eventually(async () => {
      const found = (await runsOf(committedId as string)).filter((candidate) => candidate.status === 'succeeded');
      return found.length > 0 ? found : undefined;
    }, 10_000, 'the committed job runs');
    expect(run?.progress).toEqual({ noteLength: 'committed'.length });
  }, 20_000);

  it('retries a failing job with growing delays, then reports the failure in GET /api/v1/jobs', async () => {
    const response = await b.inject({ method: 'POST', url: `/api/v1/jobs/${ALWAYS_FAILS_JOB.name}/run`, headers: admin.headers });
    expect(response.statusCode).toBe(202);
    const { jobId } = response.json<{ jobId: string }>();
    const runs = await eventually(async () => {
      const found = await runsOf(jobId);
      return found.length === 3 && found.every((run) => run.status === 'failed') ? found : undefined;
    }, 20_000, 'three failed attempts');
    const [third, second, first] = runs as [RunView, RunView, RunView];
    expect([first.attempt, second.attempt, third.attempt]).toEqual([1, 2, 3]);
    expect(first.error).toEqual({ type: 'Error', message: 'The fixture always fails' });
    // retryDelaySeconds 1 with backoff: at least 1 s before the second attempt, 2 s before the third.
    const gap = (later: RunView, earlier: RunView) => Date.parse(later.startedAt) - Date.parse(earlier.finishedAt as string);
    expect(gap(second, first)).toBeGreaterThanOrEqual(1_000);
    expect(gap(third, second)).toBeGreaterThanOrEqual(2_000);
    const [queued] = await eventually(async () => {
      const rows = await sql<{ state: string; output: unknown }>('SELECT state, output FROM pgboss.job WHERE id = $1', [jobId]);
      return rows[0]?.state === 'failed' ? rows : undefined;
    }, 5_000, 'pg-boss marks the job failed');
    // pg-boss keeps the value-free error, without a stack.
    expect(JSON.stringify(queued?.output)).not.toContain('at ');
    const failing = (await jobs()).find((job) => job.name === ALWAYS_FAILS_JOB.name) as JobView;
    expect(failing.lastRuns[0]).toMatchObject({ status: 'failed', attempt: 3, error: { message: 'The fixture always fails' } });
    expect(failing.queue).toEqual({ waiting: 0, active: 0 });
  }, 40_000);

  it('runs a job on POST /api/v1/jobs/{name}/run for admins only, and answers an unknown name 404', async () => {
    expect((await a.inject({ method: 'POST', url: `/api/v1/jobs/${TICK_JOB.name}/run`, headers: manager.headers })).statusCode).toBe(403);
    expect((await a.inject({ method: 'GET', url: '/api/v1/jobs', headers: (await callerOf(['compliance_officer'])).headers })).statusCode).toBe(403);
    expectProblem(await a.inject({ method: 'POST', url: '/api/v1/jobs/no-such-job/run', headers: admin.headers }), 404, 'RESOURCE.NOT_FOUND');
    const response = await a.inject({ method: 'POST', url: `/api/v1/jobs/${TICK_JOB.name}/run`, headers: admin.headers });
    expect(response.statusCode).toBe(202);
    const { jobId } = response.json<{ jobId: string }>();
    await eventually(async () => ((await runsOf(jobId)).some((run) => run.status === 'succeeded') ? true : undefined), 10_000, 'the requested run');
  }, 20_000);

  it('exposes job metrics on /metrics with bounded labels', async () => {
    const samples = parsePrometheusText((await a.inject({ method: 'GET', url: '/metrics' })).body);
    expect(samplesOf(samples, 'job_duration_seconds_count', { job_name: TICK_JOB.name })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(samplesOf(samples, 'job_failures_total', { job_name: ALWAYS_FAILS_JOB.name })[0]?.value).toBe(3);
    expect(samplesOf(samples, 'job_failures_total', { job_name: 'verification-expiry' })[0]?.value).toBe(0);
    expect(samplesOf(samples, 'job_last_success_timestamp_seconds', { job_name: TICK_JOB.name, schedule: 'hourly' })[0]?.value).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(samplesOf(samples, 'job_last_success_timestamp_seconds', { job_name: ALWAYS_FAILS_JOB.name })).toEqual([]);
    expect(samplesOf(samples, 'job_queue_depth', { queue: 'verification-expiry' })[0]?.value).toBe(0);
    const labelValues = samples.filter((sample) => sample.name.startsWith('job_')).flatMap((sample) => [sample.labels.job_name, sample.labels.queue]);
    expect(new Set(labelValues.filter((value) => value !== undefined))).toEqual(new Set([TICK_JOB.name, ALWAYS_FAILS_JOB.name, ECHO_JOB.name, 'verification-expiry', 'job-runs-pruning', 'event-fanout', 'event-delivery', 'event-delivery-sweep', 'privacy-due-reminders', 'retention-enforcement', 'sanctions-list-refresh', 'sanctions-rescreen', 'sanctions-rescreen-chunk', 'tax-form-1099k-generation']));
  });

  it('stops pg-boss with the app: its pool closes and nothing keeps the process alive', async () => {
    const extra = await start();
    const connections = () => sql<{ count: number }>("SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'compliance-service:jobs'");
    const before = (await connections())[0]?.count ?? 0;
    expect(before).toBeGreaterThan(0);
    await extra.close();
    await eventually(async () => (((await connections())[0]?.count ?? 0) < before ? true : undefined), 5_000, "the closed app's job connections to end");
  }, 20_000);
});
