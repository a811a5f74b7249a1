import { Pool, type PoolConfig, type QueryResult } from 'pg';

const STOPPED = 'The job engine is stopped';

/**
 * pg-boss's connection pool, owned here rather than by pg-boss (its `db` option). pg's Pool.end()
 * never answers requests still waiting for a connection, so a worker that asked for one just
 * before pg-boss stopped would wait until the connect timeout, and pg-boss keeps polling every
 * second for that worker to end: a stop that leaves timers behind (in tests, after the test file's
 * environment is gone). `close()` answers every unanswered query at once with an error, so every
 * worker ends with the stop (a fetch cut short leaves its jobs active until they expire and are
 * retried, as a crash would).
 */
export class JobEngineDatabase {
  private readonly pool: Pool;
  private stopped = false;
  private readonly stoppedSignal: Promise<never>;
  private rejectWaiting: (error: Error) => void = () => undefined;

  constructor(config: PoolConfig, onError: (error: Error) => void) {
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
    if (this.stopped) return Promise.reject(new Error(STOPPED));
    return Promise.race([this.pool.query(text, values), this.stoppedSignal]);
  };

  /** After pg-boss stopped: unanswered queries fail now; the pool ends once running statements finish. */
  async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.rejectWaiting(new Error(STOPPED));
    await this.pool.end();
  }
}
