import { Client } from 'pg';
import { FlagOverrideRepository } from '../../src/flags/flag-override.repository';
import { runCompiled } from './cli';
import { scratchDatabase } from './test-database';

export interface AuditRow {
  tenant_id: string;
  actor: string;
  action: string;
  entity_id: string;
  details: { scope: string; previous: unknown; next: unknown };
}

/**
 * A migrated database of its own: flag overrides live in PostgreSQL, and on the run's shared
 * database they would reach every other suite's apps at their next poll.
 */
export async function migratedScratchDatabase(purpose: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = await scratchDatabase(purpose);
  const migrated = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
  if (migrated.code !== 0) throw new Error(migrated.stderr);
  return database;
}

export async function queryDatabase<T>(databaseUrl: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

export function auditRows(databaseUrl: string, requestId: string): Promise<AuditRow[]> {
  return queryDatabase<AuditRow>(
    databaseUrl,
    `SELECT tenant_id, actor, action, entity_id,
            jsonb_build_object('scope', after_state->'scope', 'previous', before_state->'rule', 'next', after_state->'rule') AS details
     FROM audit_log WHERE request_id = $1 AND seq IS NOT NULL ORDER BY id`,
    [requestId],
  );
}

export function storedOverrides(databaseUrl: string): Promise<Array<{ override_key: string; rule: unknown }>> {
  return queryDatabase(databaseUrl, 'SELECT override_key, rule FROM feature_flag_overrides ORDER BY override_key');
}

/**
 * Lets the next read of the overrides reach the real database, then holds its result until
 * `release()`: a refresh that started before a change can be made to finish after it, without sleeps.
 */
export function holdNextLoad(repository: FlagOverrideRepository): { read: Promise<void>; release: () => void } {
  const load = repository.load.bind(repository);
  let release: () => void = () => undefined;
  let markRead: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const read = new Promise<void>((resolve) => (markRead = resolve));
  repository.load = async (onInvalid) => {
    repository.load = load;
    const stored = await load(onInvalid);
    markRead();
    await released;
    return stored;
  };
  return { read, release };
}
