import { JobEngineDatabase } from '../../src/jobs/job-engine.database';
import { countRows, sanctionsDatabase } from '../helpers/sanctions-lists';
import { ServiceProcess } from '../helpers/service-process';
import { requireEnv } from '../helpers/test-database';

describe('job queues set up by several instances at once', () => {
  it('holds the lock on a connection of its own: work on a pool of one still runs, and a second holder waits for the first', async () => {
    const db = new JobEngineDatabase({ connectionString: requireEnv('TEST_APP_DATABASE_URL'), max: 1 }, () => undefined);
    const order: string[] = [];
    try {
      let releaseFirst: () => void = () => undefined;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstEntered: () => void = () => undefined;
      const entered = new Promise<void>((resolve) => (firstEntered = resolve));
      const first = db.withAdvisoryLock('test:queue-setup', async () => {
        order.push('first in');
        await db.executeSql('SELECT 1');
        firstEntered();
        await firstHolds;
        order.push('first out');
      });
      await entered;
      const second = db.withAdvisoryLock('test:queue-setup', async () => {
        order.push('second in');
        return (await db.executeSql('SELECT 2 AS two')).rows[0];
      });
      // The second holder is blocked on the lock, not on the pool: its statement has not run.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(order).toEqual(['first in']);
      releaseFirst();
      await first;
      await expect(second).resolves.toEqual({ two: 2 });
      expect(order).toEqual(['first in', 'first out', 'second in']);
    } finally {
      await db.close();
    }
  });

  describe('on a fresh database', () => {
    let database: { url: string; drop: () => Promise<void> };
    const services: ServiceProcess[] = [];

    beforeAll(async () => {
      database = await sanctionsDatabase('job_queue_setup');
    }, 60_000);

    afterAll(async () => {
      for (const service of services) {
        service.kill('SIGTERM');
        await service.exited;
      }
      await database.drop();
    });

    it('starts three instances at once, each queue created once (pg-boss alone deadlocked attaching partitions)', async () => {
      const started = await Promise.allSettled(
        [0, 1, 2].map(() => ServiceProcess.startOnTestDatabase({ DATABASE_URL: database.url, SHUTDOWN_DRAIN_MS: '0', LOG_LEVEL: 'warn' })),
      );
      for (const result of started) if (result.status === 'fulfilled') services.push(result.value.service);
      expect(started.filter((result) => result.status === 'rejected')).toEqual([]);
      const queues = await countRows(database.url, 'SELECT count(*) FROM pgboss.queue');
      expect(queues).toBeGreaterThan(5);
      expect(await countRows(database.url, 'SELECT count(DISTINCT name) FROM pgboss.queue')).toBe(queues);
    }, 120_000);
  });
});
