import { Client, Pool, type PoolConfig, type QueryResult } from 'pg';
import { JOBS_SCHEMA } from './job-queue.options';

const STOPPED = 'The job engine is stopped';

/** The part of pg-boss's internal statement plans (src/plans.js, untyped) used here. */
interface PgBossPlans {
  completeJobs(schema: string): string;
  failJobsById(schema: string): string;
}
// Read from the installed pg-boss, so the texts compared are exactly those it sends.
const pgBossPlans = require('pg-boss/src/plans') as PgBossPlans;

/**
 * A job's completion and failure, which pg-boss 10 sends from async functions it never awaits
 * (manager.js, onFetch: `this.complete(…)`, `this.fail(…)`): a rejection there is unhandled and
 * ends the process, so a database blip while a job finishes would crash the pod. Such a failure
 * is reported to the error log and answered "0 jobs changed"; the job stays active until it
 * expires and is retried, as after a crash (handlers are idempotent: JobDefinition).
 */
const UNAWAITED_STATEMENTS = new Set([pgBossPlans.completeJobs(JOBS_SCHEMA), pgBossPlans.failJobsById(JOBS_SCHEMA)]);
/** What pg-boss reads from those statements' answer: the count of jobs changed. */
const NOT_RECORDED: QueryResult = { command: 'SELECT', rowCount: 1, oid: 0, fields: [], rows: [{ count: '0' }] };
/** How long close() lets statements already sent finish (a job's completion among them). */
const DRAIN_MS = 2_000;

/**
 * pg-boss's connection pool, owned here rather than by pg-boss (its `db` option). pg's Pool.end()
 * never answers requests still waiting for a connection, so a worker that asked for one just
 * before pg-boss stopped (the database cut, the pool exhausted) would wait until the connect
 * timeout while pg-boss keeps polling for it every second: a stop that leaves timers behind.
 * `close()` lets the statements in flight finish for a short while, then answers the rest with an
 * error, so every worker ends with the stop (a fetch cut short leaves its jobs active until they
 * expire and are retried, as a crash would).
 */
export class JobEngineDatabase {
  private readonly pool: Pool;
  private stopped = false;
  private readonly inFlight = new Set<Promise<QueryResult>>();
  private readonly stoppedSignal: Promise<never>;
  private rejectWaiting: (error: Error) => void = () => undefined;

  constructor(
    private readonly config: PoolConfig,
    private readonly onError: (error: Error) => void,
  ) {
    this.pool = new Pool(config);
    // Without a listener an idle client's error would crash the process.
    this.pool.on('error', onError);
    this.stoppedSignal = new Promise<never>((_resolve, reject) => {
      this.rejectWaiting = reject;
    });
    this.stoppedSignal.catch(() => undefined);
  }

  /** What pg-boss calls for every statement. */
  executeSql = (text: string, values?: unknown[]): Promise<QueryResult> => {
    const unawaited = UNAWAITED_STATEMENTS.has(text);
    if (this.stopped) return unawaited ? Promise.resolve(NOT_RECORDED) : Promise.reject(new Error(STOPPED));
    const result = Promise.race([this.pool.query(text, values), this.stoppedSignal]);
    this.inFlight.add(result);
    void result.finally(() => this.inFlight.delete(result)).catch(() => undefined);
    if (!unawaited) return result;
    return result.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.onError(new Error(`A job's completion was not recorded (the job is retried once it expires): ${reason}`));
      return NOT_RECORDED;
    });
  };

  /**
   * Runs `work` while this process holds the session-level advisory lock `key`, on a connection of
   * its own outside the pool: `work`'s statements use the pool, and a pool of one would otherwise
   * wait for the connection holding the lock.
   */
  async withAdvisoryLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const client = new Client(this.config);
    client.on('error', () => undefined); // a broken connection fails the query in flight, and drops the lock with it
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      return await work();
    } finally {
      await client.end().catch(() => undefined); // ending the session releases the lock
    }
  }

  /** After pg-boss stopped: statements in flight get DRAIN_MS, the rest fail; then the pool ends. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
    clearTimeout(timer);
    this.rejectWaiting(new Error(STOPPED));
    await this.pool.end();
  }
}
