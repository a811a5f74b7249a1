import { JobEngineDatabase } from '../../src/jobs/job-engine.database';
import { JOBS_SCHEMA } from '../../src/jobs/job-queue.options';
import { requireEnv } from '../helpers/test-database';

const plans = require('pg-boss/src/plans') as { completeJobs(schema: string): string };

/** pg-boss's Manager.complete: the statement it sends, and the count it reads from the answer. */
async function completeAsPgBossDoes(db: JobEngineDatabase): Promise<number> {
  const result = await db.executeSql(plans.completeJobs(JOBS_SCHEMA), ['some-queue', ['00000000-0000-0000-0000-000000000000'], null]);
  return Number.parseInt((result.rows[0] as { count: string }).count, 10);
}

describe("pg-boss's pool (JobEngineDatabase)", () => {
  const open = (): { db: JobEngineDatabase; errors: Error[] } => {
    const errors: Error[] = [];
    const db = new JobEngineDatabase({ connectionString: requireEnv('TEST_APP_DATABASE_URL'), max: 1 }, (error) => errors.push(error));
    return { db, errors };
  };

  it('lets statements sent before the stop finish, including one waiting for the only connection', async () => {
    const { db, errors } = open();
    const running = db.executeSql('SELECT pg_sleep(0.3) AS slept');
    // pg-boss sends a job's completion without awaiting it: it must still reach the database.
    const waiting = db.executeSql('SELECT 1 AS one');
    await db.close();
    await expect(waiting).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await expect(running).resolves.toMatchObject({ rowCount: 1 });
    await expect(db.executeSql('SELECT 1')).rejects.toThrow('The job engine is stopped');
    expect(errors).toEqual([]);
  });

  it('answers what is still unanswered after the drain with an error, one waiting for a connection included, then ends the pool', async () => {
    const { db, errors } = open();
    const running = db.executeSql('SELECT pg_sleep(3) AS slept');
    // Where Pool.end() alone would leave it unanswered until the connect timeout.
    const waiting = db.executeSql('SELECT 1 AS one');
    const closedAt = Date.now();
    const closing = db.close();
    await expect(waiting).rejects.toThrow('The job engine is stopped');
    const answeredAfter = Date.now() - closedAt;
    expect(answeredAfter).toBeGreaterThanOrEqual(1_900);
    expect(answeredAfter).toBeLessThan(2_800);
    await expect(running).rejects.toThrow('The job engine is stopped');
    await closing;
    expect(errors).toEqual([]);
  });

  it('never leaves a rejection for the unawaited async calls pg-boss makes after the stop (a job\'s complete or fail)', async () => {
    const { db } = open();
    await db.close();
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      // As pg-boss's onFetch calls `this.complete(…)`: an async function whose promise nobody handles.
      void completeAsPgBossDoes(db);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });

  it("answers a job's completion that fails in a database outage with no job changed, and reports it; other statements still fail", async () => {
    const errors: Error[] = [];
    const db = new JobEngineDatabase({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1, connectionTimeoutMillis: 1_000 }, (error) => errors.push(error));
    try {
      await expect(completeAsPgBossDoes(db)).resolves.toBe(0);
      expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/^A job's completion was not recorded \(the job is retried once it expires\): .*ECONNREFUSED/)]);
      await expect(db.executeSql('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await db.close();
    }
  });

  it("sends pg-boss's completion as it is while the database answers", async () => {
    const { db, errors } = open();
    try {
      // No such job: the statement ran and changed nothing; an outage would answer 0 too, but report it.
      await expect(completeAsPgBossDoes(db)).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
