import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { runCompiled } from './helpers/cli';
import { scratchDatabase } from './helpers/test-database';

const MIGRATION_CLI = 'database/migration.cli.js';
const FIRST = 'CreateAuditLogAndSettings1795651200000';
const SECOND = 'IndexAuditLogByTenantAndTime1795651260000';
/** Every migration, in the order they run: `<timestamp>-<Name>.ts` is class `<Name><timestamp>`. */
const ALL = readdirSync(join(__dirname, '..', 'migrations'))
  .filter((file) => /^\d+-\w+\.ts$/.test(file))
  .sort()
  .map((file) => {
    const [timestamp, name] = file.replace(/\.ts$/, '').split('-');
    return `${name}${timestamp}`;
  });

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const migrate = (url: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCompiled(MIGRATION_CLI, args, { DATABASE_URL: url, LOG_LEVEL: 'info', ...env });

describe('migration runner (npm run migration:run and the migrate:* commands)', () => {
  const drops: Array<() => Promise<void>> = [];
  async function freshDatabase(purpose: string): Promise<string> {
    const database = await scratchDatabase(purpose);
    drops.push(database.drop);
    return database.url;
  }

  afterAll(async () => {
    await Promise.all(drops.map((drop) => drop()));
  });

  it('lets 8 concurrent runs all succeed and records each migration exactly once', async () => {
    const url = await freshDatabase('concurrent');
    const runs = await Promise.all(Array.from({ length: 8 }, () => migrate(url, ['run'])));
    for (const run of runs) expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    const recorded = await query<{ name: string; times: string }>(url, 'SELECT name, count(*) AS times FROM migrations GROUP BY name ORDER BY name');
    expect(recorded).toEqual([...ALL].sort().map((name) => ({ name, times: '1' })));
    expect(runs.filter((run) => run.stdout.includes(`Applied ${ALL.length}`))).toHaveLength(1);
    expect(runs.filter((run) => run.stdout.includes('Schema is up to date'))).toHaveLength(7);
  }, 60_000);

  it('prints the SQL of pending migrations on a dry run and changes nothing', async () => {
    const url = await freshDatabase('dry');
    const dry = await migrate(url, ['dry']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`-- ${FIRST}`);
    expect(dry.stdout).toContain('CREATE TABLE audit_log');
    expect(dry.stdout).toContain(`-- ${SECOND} (runs outside a transaction)`);
    const tables = await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables).toEqual([]);
  });

  it('shows status, rolls back to a named migration, and reports the state it landed in', async () => {
    const url = await freshDatabase('rollback');
    expect((await migrate(url, ['run'])).code).toBe(0);
    expect((await migrate(url, ['status'])).stdout.trim().split('\n')).toEqual(ALL.map((name) => `[applied] ${name}`));

    const rollback = await migrate(url, ['rollback', '--to', FIRST]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain(`Reverted ${ALL.length - 1}: ${ALL.slice(1).reverse().join(', ')}`);
    expect(rollback.stderr).toMatch(new RegExp(`Reverted ${SECOND} in \\d+ ms`));
    expect((await migrate(url, ['status'])).stdout.trim().split('\n')).toEqual([`[applied] ${FIRST}`, ...ALL.slice(1).map((name) => `[pending] ${name}`)]);
    const indexes = await query(url, "SELECT 1 FROM pg_indexes WHERE indexname = 'audit_log_tenant_occurred_at_idx'");
    expect(indexes).toHaveLength(0);

    const unknown = await migrate(url, ['rollback', '--to', 'NoSuchMigration1700000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Cannot roll back to NoSuchMigration1700000000000: it is not an applied migration');

    expect((await migrate(url, ['down', '--step', '1'])).code).toBe(0);
    expect((await query(url, "SELECT to_regclass('audit_log') AS t"))[0]).toEqual({ t: null });
  });

  it('fails after lock_timeout with a clear message when a table it changes is locked, then succeeds once released', async () => {
    const url = await freshDatabase('locktimeout');
    expect((await migrate(url, ['rollback', '--to', FIRST])).code).toBe(1); // nothing applied yet
    expect((await migrate(url, ['run'])).code).toBe(0);
    expect((await migrate(url, ['rollback', '--to', FIRST])).code).toBe(0);

    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE');
      const blocked = await migrate(url, ['run'], { MIGRATION_LOCK_TIMEOUT: '500ms' });
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain('lock timeout');
      expect(blocked.stderr).toContain('another session holds a lock on a table this migration changes');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const retried = await migrate(url, ['run']);
    expect(retried.code).toBe(0);
    const valid = await query<{ indisvalid: boolean }>(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'audit_log_tenant_occurred_at_idx'::regclass");
    expect(valid).toEqual([{ indisvalid: true }]);
  });
});
