import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config.loader';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { MigrationRunner } from '../src/database/migration-runner';
import { runCompiled } from './helpers/cli';
import { freePort } from './helpers/free-port';
import { StatementPooledSession } from './helpers/statement-pooled-session';
import { scratchDatabase, withAdmin } from './helpers/test-database';

const MIGRATION_CLI = 'database/migration.cli.js';
const FIRST = 'CreateAuditLogAndSettings1795651200000';
const SECOND = 'IndexAuditLogByTenantAndTime1795651260000';
const SILENT = { log: () => undefined, warn: () => undefined };

const migrate = (env: NodeJS.ProcessEnv, args: string[]) => runCompiled(MIGRATION_CLI, args, { LOG_LEVEL: 'warn', ...env });
const statusLines = async (url: string) => (await migrate({ DATABASE_URL: url }, ['status'])).stdout.trim().split('\n');
/** The applied migrations only: every later one is listed as pending. */
const appliedLines = async (url: string) => (await statusLines(url)).filter((line) => line.startsWith('[applied]'));
const firstLine = (text: string) => text.split('\n')[0];

describe('migration commands never surprise: lock, data loss, target database', () => {
  const drops: Array<() => Promise<void>> = [];
  async function freshDatabase(purpose: string): Promise<string> {
    const database = await scratchDatabase(purpose);
    drops.push(database.drop);
    return database.url;
  }
  afterAll(async () => {
    await Promise.all(drops.map((drop) => drop()));
  });

  it('accepts MIGRATION_LOCK_TIMEOUT=10 s and the session really gets lock_timeout 10s', async () => {
    const url = await freshDatabase('duration');
    const config = loadConfig({ DATABASE_URL: url, MIGRATION_LOCK_TIMEOUT: '10 s' }, { requireSecrets: false });
    const dataSource = new DataSource(buildDataSourceOptions(config.database, url, { role: 'migration', log: SILENT }));
    await dataSource.initialize();
    try {
      await expect(dataSource.query('SHOW lock_timeout')).resolves.toEqual([{ lock_timeout: '10s' }]);
    } finally {
      await dataSource.destroy();
    }
    expect((await migrate({ DATABASE_URL: url, MIGRATION_LOCK_TIMEOUT: '10 s' }, ['run'])).code).toBe(0);
  });

  it('refuses a down that would drop the audit log with rows in it, reverting nothing, unless --allow-data-loss', async () => {
    const url = await freshDatabase('dataloss');
    expect((await migrate({ DATABASE_URL: url }, ['run'])).code).toBe(0);
    // Back to the first two migrations (later ones hold no rows yet, so their downs are allowed).
    expect((await migrate({ DATABASE_URL: url }, ['rollback', '--to', SECOND])).code).toBe(0);
    await withAdmin(url, (client) => client.query(`INSERT INTO audit_log (tenant_id, actor, action, entity_type) VALUES ('t', 'a', 'create', 'venue'), ('t', 'a', 'update', 'venue')`));

    const refused = await migrate({ DATABASE_URL: url }, ['down', '--step', '2']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to revert: these downs would destroy data, and nothing has been reverted.');
    expect(refused.stderr).toContain(`${FIRST} drops audit_log (2 rows)`);
    expect(await appliedLines(url)).toEqual([`[applied] ${FIRST}`, `[applied] ${SECOND}`]);

    // Dropping the index loses no rows: allowed as before.
    expect((await migrate({ DATABASE_URL: url }, ['down'])).code).toBe(0);

    const allowed = await migrate({ DATABASE_URL: url }, ['down', '--allow-data-loss']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`Reverted 1: ${FIRST}`);
    expect(await withAdmin(url, (client) => client.query("SELECT to_regclass('audit_log') AS t"))).toMatchObject({ rows: [{ t: null }] });
  }, 90_000); // seven migration commands, each its own process

  it('migrates through MIGRATION_DATABASE_URL when set, else DATABASE_URL, and says which', async () => {
    const url = await freshDatabase('migrationurl');
    const unreachable = `postgres://postgres@127.0.0.1:${await freePort()}/compliance_test_unreachable`;
    const viaMigrationUrl = await migrate({ DATABASE_URL: unreachable, MIGRATION_DATABASE_URL: url }, ['run']);
    expect(viaMigrationUrl.code).toBe(0);
    expect(firstLine(viaMigrationUrl.stderr)).toMatch(/^Target database: 127\.0\.0\.1:5432\/compliance_test_\w+ as postgres \(from MIGRATION_DATABASE_URL\)$/);
    const viaDatabaseUrl = await migrate({ DATABASE_URL: url }, ['status']);
    expect(firstLine(viaDatabaseUrl.stderr)).toMatch(/\(from DATABASE_URL\)$/);
  });

  it('stops with a clear error when the lock session changes server session (a transaction pooler), applying nothing', async () => {
    const url = await freshDatabase('pooler');
    const config = loadConfig({ DATABASE_URL: url }, { requireSecrets: false });
    const dataSource = new DataSource(buildDataSourceOptions(config.database, url, { role: 'migration', log: SILENT }));
    await dataSource.initialize();
    try {
      const runner = new MigrationRunner(dataSource, SILENT, 5_000, () => new StatementPooledSession(url));
      await expect(runner.run()).rejects.toThrow(/^Lost the migration lock: it was taken by server session \d+, but the same connection now runs on session \d+\. .*Set MIGRATION_DATABASE_URL to a session-level connection/);
      await expect(dataSource.query("SELECT to_regclass('audit_log') AS t")).resolves.toEqual([{ t: null }]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('prints the target first, without the password, for every command', async () => {
    const url = new URL(await freshDatabase('target'));
    url.password = 'pa55-not-for-logs';
    for (const [script, args] of [[MIGRATION_CLI, ['status']], [MIGRATION_CLI, ['dry']], ['database/db-status.cli.js', []]] as const) {
      const result = await runCompiled(script, [...args], { DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
      expect({ script, args, code: result.code }).toEqual({ script, args, code: 0 });
      expect(firstLine(result.stderr)).toBe(`Target database: 127.0.0.1:5432${url.pathname} as postgres (from DATABASE_URL)`);
      expect(result.stdout + result.stderr).not.toContain('pa55-not-for-logs');
    }
  });

  it('refuses down and rollback on the embedded database unless --embedded is given', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'compliance-embedded-confirm-'));
    // As root the server runs as `postgres`, which must enter the folder (mkdtemp makes it 0700).
    chmodSync(folder, 0o755);
    const env = { EMBEDDED_DATABASE_DIR: join(folder, 'data'), EMBEDDED_DATABASE_PORT: String(await freePort()) };
    try {
      for (const args of [['down'], ['rollback', '--to', FIRST]]) {
        const refused = await migrate(env, args);
        expect(refused.code).toBe(2);
        expect(firstLine(refused.stderr)).toMatch(/^Target database: embedded PostgreSQL 127\.0\.0\.1:\d+\/compliance/);
        expect(refused.stderr).toContain(`${args[0]} would act on the embedded database because DATABASE_URL is not set`);
      }
      expect(existsSync(join(folder, 'data'))).toBe(false);
      const confirmed = await migrate(env, ['down', '--embedded']);
      expect({ code: confirmed.code, stdout: confirmed.stdout }).toEqual({ code: 0, stdout: 'Nothing to revert\n' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
