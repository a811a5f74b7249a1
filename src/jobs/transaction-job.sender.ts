import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import type { JobDefinition } from './job-definition';
import { JOBS_SCHEMA, QUEUE_SETUP_LOCK, queueOptionsOf } from './job-queue.options';
import { pgBossDbOf } from './transaction-sql.adapter';

/**
 * Enqueues a job through an open transaction without the JobEngine, for code that also runs in
 * processes that have none (the sanctions import CLI). pg-boss 10 sends without `start()` when it
 * is given a `db`. It silently inserts nothing into a queue that does not exist, and instances
 * create their queues at start, so on a database no instance has started on yet (migrated and
 * loaded before the first deploy) the queue is created here, in the same transaction. Definitions
 * with `throttleSeconds` are not for this path: the engine applies the throttle.
 */
export async function sendInTransaction<TData extends object>(tx: EntityManager, job: JobDefinition<TData>, data: TData): Promise<string> {
  const boss = new PgBoss({ db: pgBossDbOf(tx), schema: JOBS_SCHEMA });
  let id = await boss.send(job.name, data);
  if (id === null) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [QUEUE_SETUP_LOCK]);
    await boss.createQueue(job.name, queueOptionsOf(job));
    id = await boss.send(job.name, data);
  }
  if (id === null) throw new Error(`pg-boss created no ${job.name} job`);
  return id;
}
