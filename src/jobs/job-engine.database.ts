import { Client, Pool, type PoolConfig, type QueryResult } from 'pg';

const STOPPED = 'The job engine is stopped';
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
    onError: (error: Error) => void,
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
    // After the stop nothing is sent and nothing answered: the only callers left are a job's
    // completion or failure, which pg-boss sends from async functions it never awaits (manager.js,
    // onFetch), so a rejection would be unhandled and end the process, and an empty answer breaks
    // its code that reads the rows. The job stays active until it expires and is retried, as after
    // a crash; the pending promise holds no timer or socket.
    if (this.stopped) return new Promise<QueryResult>(() => undefined);
    const result = Promise.race([this.pool.query(text, values), this.stoppedSignal]);
    this.inFlight.add(result);
    // Handling it here also keeps a failure nobody awaits from ending the process: pg-boss fires a
    // job's complete/fail without awaiting it (manager.js, onFetch). Callers that await still see it.
    void result.finally(() => this.inFlight.delete(result)).catch(() => undefined);
    return result;
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
