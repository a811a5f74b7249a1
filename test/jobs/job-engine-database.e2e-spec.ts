import { JobEngineDatabase } from '../../src/jobs/job-engine.database';
import { requireEnv } from '../helpers/test-database';

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
    // After the stop nothing is sent: the statement is never answered (see executeSql).
    const afterStop = await Promise.race([db.executeSql('SELECT 1'), new Promise((resolve) => setTimeout(() => resolve('unanswered'), 200))]);
    expect(afterStop).toBe('unanswered');
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
      // As pg-boss's onFetch calls `this.fail(…)`: an async function whose promise nobody handles.
      const fail = async (): Promise<void> => {
        await db.executeSql('UPDATE pgboss.job SET state = $1 WHERE false', ['failed']);
      };
      void fail();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });
});
