import { JobEngineDatabase } from '../../src/jobs/job-engine.database';
import { requireEnv } from '../helpers/test-database';

describe("pg-boss's pool (JobEngineDatabase)", () => {
  it('answers every unanswered query as soon as it closes, including one waiting for a connection, then ends the pool', async () => {
    const errors: Error[] = [];
    const db = new JobEngineDatabase({ connectionString: requireEnv('TEST_APP_DATABASE_URL'), max: 1 }, (error) => errors.push(error));
    const running = db.executeSql('SELECT pg_sleep(0.5) AS slept');
    // The only connection is busy: this one waits in pg's queue, where Pool.end() would leave it.
    const waiting = db.executeSql('SELECT 1 AS one');
    const closedAt = Date.now();
    const closing = db.close();
    await expect(waiting).rejects.toThrow('The job engine is stopped');
    expect(Date.now() - closedAt).toBeLessThan(200);
    await expect(running).rejects.toThrow('The job engine is stopped');
    // The pool itself ends once the running statement is done.
    await closing;
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(400);
    await expect(db.executeSql('SELECT 1')).rejects.toThrow('The job engine is stopped');
    expect(errors).toEqual([]);
  });
});
