import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import PgBoss from 'pg-boss';
import type { Counter, Histogram } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { toLoggableError } from '../common/loggable-error';
import { RateLimitedLogger } from '../common/rate-limited-logger';
import type { AppConfig } from '../config/app-config';
import { APPLICATION_NAME, sslOption } from '../database/data-source.options';
import { JobAttemptFailedError } from './jobs.errors';
import type { JobProgress } from './job-definition';
import { JobRunContext } from './job-run.context';
import { JobRunRepository } from './job-run.repository';
import { JobRegistry, type RegisteredJob } from './job.registry';
import { JOB_DURATION, JOB_FAILURES } from './job-metric-names';
import { useCheapCronCheck } from './cron-due';
import { JobEngineDatabase } from './job-engine.database';
import { JOBS_SCHEMA, QUEUE_SETUP_LOCK, queueOptionsOf } from './job-queue.options';
import { pgBossDbOf } from './transaction-sql.adapter';

useCheapCronCheck();

/** How long shutdown waits for running handlers before pg-boss fails them (retried elsewhere). */
const STOP_TIMEOUT_MS = 10_000;

export interface SendOptions {
  /** Insert through this open transaction: the job exists only if it commits. */
  tx?: EntityManager;
  startAfter?: Date;
}

export interface QueueCounts {
  waiting: number;
  active: number;
}

/**
 * Owns the one pg-boss instance of the process, on a small pool of its own. Starts once every
 * module has registered its jobs (onApplicationBootstrap): creates or updates each queue, upserts
 * cron schedules and, unless JOBS_WORKERS=false, starts one worker per job plus pg-boss's cron and
 * maintenance. Stops after the HTTP server has closed (registerJobEngineShutdown), before the
 * app's database pool closes, so running handlers finish with their connections.
 */
@Injectable()
export class JobEngine implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly errorLog = new RateLimitedLogger(this.logger, 60_000);
  /**
   * Recorded on each run (job_runs.instance). The random part tells apart engines that share a host
   * and pid: a restarted container (pid 1 again) and apps started in one process by the tests.
   */
  private readonly instance = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly settings: AppConfig['jobs'];
  private readonly database: AppConfig['database'];
  private boss: PgBoss | undefined;
  private db: JobEngineDatabase | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly registry: JobRegistry,
    private readonly runs: JobRunRepository,
    @InjectMetric(JOB_DURATION) private readonly duration: Histogram<'job_name'>,
    @InjectMetric(JOB_FAILURES) private readonly failures: Counter<'job_name'>,
  ) {
    this.settings = config.get('jobs', { infer: true });
    this.database = config.get('database', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registry.seal();
    const workers = this.settings.workers;
    const logError = (error: unknown): void => {
      const loggable = toLoggableError(error);
      this.errorLog.warn(`pgboss:${loggable.code ?? loggable.type}`, `Job engine error: ${loggable.message}`, { err: loggable });
    };
    const db = new JobEngineDatabase(
      {
        connectionString: this.database.url as string,
        max: this.settings.poolSize,
        application_name: `${APPLICATION_NAME}:jobs`,
        ssl: sslOption(this.database),
        connectionTimeoutMillis: this.database.connectTimeoutMs,
        statement_timeout: this.database.statementTimeoutMs,
      },
      logError,
    );
    this.db = db;
    const boss = new PgBoss({
      db,
      schema: JOBS_SCHEMA,
      // Installed and upgraded by migrations only; pg-boss refuses to start on another version.
      migrate: false,
      // An API-only instance sends jobs and nothing else: no cron, no maintenance, no workers.
      schedule: workers,
      supervise: workers,
      pollingIntervalSeconds: this.settings.pollIntervalSeconds,
      cronMonitorIntervalSeconds: this.settings.cronCheckIntervalSeconds,
      cronWorkerIntervalSeconds: Math.max(1, Math.round(this.settings.pollIntervalSeconds)),
    });
    // Without a listener an 'error' event would throw: polling, cron and maintenance report here.
    boss.on('error', logError);
    await boss.start();
    this.boss = boss;
    // One instance at a time (see QUEUE_SETUP_LOCK); workers start after, without the lock.
    await db.withAdvisoryLock(QUEUE_SETUP_LOCK, async () => {
      for (const job of this.registry.all()) await this.declare(boss, job);
    });
    if (workers) for (const job of this.registry.all()) await this.startWorkers(boss, job);
    const jobs = this.registry.all().map((job) => job.definition.name);
    this.logger.log(`Job engine started (${workers ? 'workers on' : 'JOBS_WORKERS=false: enqueue only'}): ${jobs.join(', ') || 'no jobs'}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Idempotent: the Fastify close hook calls it first; Nest's shutdown hook is the fallback. */
  stop(): Promise<void> {
    const boss = this.boss;
    if (boss === undefined) return Promise.resolve();
    this.stopping ??= (async () => {
      this.logger.log('Stopping the job engine: no new jobs are fetched; waiting for running ones');
      await boss.stop({ graceful: true, wait: true, timeout: STOP_TIMEOUT_MS });
      await this.db?.close();
      this.boss = undefined;
      this.logger.log('Job engine stopped');
    })();
    return this.stopping;
  }

  async send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    const job = this.registry.get(name);
    const throttle = job?.definition.throttleSeconds;
    return this.started().send(name, data, {
      ...(throttle === undefined ? {} : { singletonSeconds: throttle }),
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
      ...(options.tx === undefined ? {} : { db: pgBossDbOf(options.tx) }),
    });
  }

  /** Waiting (created or retry) and active jobs per queue, across every instance. */
  async queueCounts(names: readonly string[]): Promise<Map<string, QueueCounts>> {
    const { rows } = (await this.started()
      .getDb()
      .executeSql(
        `SELECT name, count(*) FILTER (WHERE state < 'active')::int AS waiting, count(*) FILTER (WHERE state = 'active')::int AS active
         FROM ${JOBS_SCHEMA}.job WHERE name = ANY($1) AND state <= 'active' GROUP BY name`,
        [names],
      )) as { rows: Array<{ name: string; waiting: number; active: number }> };
    return new Map(rows.map((row) => [row.name, { waiting: row.waiting, active: row.active }]));
  }

  private started(): PgBoss {
    if (this.boss === undefined) throw new Error('The job engine is not running (before app init or after shutdown)');
    return this.boss;
  }

  /** Creates or updates the job's queue and its schedule. */
  private async declare(boss: PgBoss, { definition }: RegisteredJob): Promise<void> {
    const queue = queueOptionsOf(definition);
    // create_queue does nothing for an existing queue; the update makes a changed policy apply.
    await boss.createQueue(definition.name, queue);
    await boss.updateQueue(definition.name, queue);
    this.failures.inc({ job_name: definition.name }, 0);
    if (definition.schedule !== undefined) {
      await boss.schedule(definition.name, definition.schedule.cron, {}, { tz: definition.schedule.tz ?? 'UTC' });
    }
  }

  private async startWorkers(boss: PgBoss, { definition }: RegisteredJob): Promise<void> {
    // pg-boss 10 runs one job at a time per work() call: concurrency is that many workers.
    for (let worker = 0; worker < (definition.concurrency ?? 1); worker += 1) {
      await boss.work<object>(definition.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.settings.pollIntervalSeconds }, ([job]) =>
        this.runAttempt(definition.name, job as PgBoss.JobWithMetadata<object>),
      );
    }
  }

  /** One attempt: a job_runs row, the handler, metrics and log lines; rethrows a value-free error. */
  private async runAttempt(name: string, job: PgBoss.JobWithMetadata<object>): Promise<JobProgress> {
    const registered = this.registry.get(name) as RegisteredJob;
    const attempt = job.retryCount + 1;
    const runId = await this.runs.start(name, job.id, attempt, this.instance);
    const context = new JobRunContext(name, job.id, attempt, runId, this.runs, this.logger);
    const endTimer = this.duration.startTimer({ job_name: name });
    this.logger.log({ job: name, jobId: job.id, attempt }, `Job ${name} started (attempt ${attempt} of ${job.retryLimit + 1})`);
    try {
      await registered.handler(job.data ?? {}, context);
    } catch (error) {
      const seconds = endTimer();
      const loggable = toLoggableError(error);
      this.failures.inc({ job_name: name });
      await this.runs.finish(runId, { status: 'failed', progress: context.reported, error: { type: loggable.type, message: loggable.message } });
      const retrying = attempt <= job.retryLimit;
      this.logger.error(
        { job: name, jobId: job.id, attempt, durationMs: Math.round(seconds * 1000), err: loggable },
        `Job ${name} failed after ${seconds.toFixed(3)} s: ${loggable.type}: ${loggable.message}${retrying ? '; pg-boss retries it' : '; no retries left'}`,
      );
      throw new JobAttemptFailedError(loggable.type, loggable.message);
    }
    const seconds = endTimer();
    await this.runs.finish(runId, { status: 'succeeded', progress: context.reported });
    this.logger.log({ job: name, jobId: job.id, attempt, durationMs: Math.round(seconds * 1000), progress: context.reported }, `Job ${name} succeeded in ${seconds.toFixed(3)} s`);
    return context.reported;
  }
}
