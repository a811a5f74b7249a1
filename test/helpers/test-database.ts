import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Test helpers only touch databases whose name says they are test databases. */
export function assertTestDatabaseName(name: string): void {
  if (!/(^|_)test(_|$)/.test(name)) {
    throw new Error(`Refusing to use database "${name}" in tests: its name must contain "test" (e.g. compliance_test_x)`);
  }
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** Names carry the run id, so global teardown can drop every database this run made. */
export function uniqueTestDatabaseName(purpose = 'run'): string {
  return `compliance_test_${requireEnv('TEST_RUN_ID')}_${purpose}_${randomBytes(3).toString('hex')}`;
}

/** Drops every database of this run, including those of test files that died before cleaning up. */
export async function dropRunDatabases(adminUrl: string, runId: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`compliance_test_${runId}_%`]);
    for (const { datname } of rows) {
      assertTestDatabaseName(datname);
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

/** Runs `work` on a short-lived connection to `adminUrl`. */
export async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server of `adminUrl` and returns its URL. */
export async function createTestDatabase(adminUrl: string, name: string): Promise<string> {
  assertTestDatabaseName(name);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return withDatabaseName(adminUrl, name);
}

export async function dropTestDatabase(adminUrl: string, name: string): Promise<void> {
  assertTestDatabaseName(name);
  await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A database of its own for one test file (for tests that need an unmigrated or disposable one). */
export async function scratchDatabase(purpose: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = requireEnv('TEST_ADMIN_DATABASE_URL');
  const name = uniqueTestDatabaseName(purpose);
  const url = await createTestDatabase(adminUrl, name);
  return { url, drop: () => dropTestDatabase(adminUrl, name) };
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: is Jest's globalSetup (test/setup/global-setup.ts) configured?`);
  return value;
}
