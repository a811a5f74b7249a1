import type PgBoss from 'pg-boss';
import type { JobDefinition } from './job-definition';

/** pg-boss's schema, installed by migrations/1796200000000-InstallPgBoss.ts. */
export const JOBS_SCHEMA = 'pgboss';
const DEFAULT_EXPIRE_SECONDS = 15 * 60;

/**
 * The pg-boss queue a definition declares: what every instance creates or updates at start, and
 * what `sendInTransaction` creates when it runs before any instance has.
 */
export function queueOptionsOf(definition: JobDefinition<object>): PgBoss.Queue {
  return {
    name: definition.name,
    policy: definition.policy ?? 'standard',
    retryLimit: definition.retry.retryLimit,
    retryDelay: definition.retry.retryDelaySeconds,
    retryBackoff: definition.retry.backoff,
    expireInSeconds: definition.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS,
  };
}

/**
 * The advisory lock under which queues are created: pg-boss 10's create_queue takes none, and two
 * sessions creating queues at once deadlock attaching their partitions to the job table.
 */
export const QUEUE_SETUP_LOCK = 'compliance-service:pgboss-queues';
