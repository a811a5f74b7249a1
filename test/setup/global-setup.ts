import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase } from '../../src/database/embedded-database';
import { runCompiled } from '../helpers/cli';
import { freePort } from '../helpers/free-port';
import { createTestDatabase, uniqueTestDatabaseName, withDatabaseName } from '../helpers/test-database';
import { DEFAULT_REDIS_URL, redisAnswers } from './test-services';

declare global {
  // Kept for global-teardown, which runs in the same process.
  var __embeddedTestDatabase: { server: EmbeddedDatabase; folder: string } | undefined;
}

/**
 * One fresh, migrated database and one Redis key prefix per `npm test` run, so runs never collide.
 * PostgreSQL: TEST_DATABASE_URL (an admin connection to a server) or else an embedded server.
 * Redis: REDIS_URL or 127.0.0.1:6379; unreachable fails the run in CI and is reported loudly elsewhere.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TEST_RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const adminUrl = process.env.TEST_DATABASE_URL ?? (await startEmbeddedServer());
  const name = uniqueTestDatabaseName();
  const url = await createTestDatabase(adminUrl, name);
  const migrated = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: url, LOG_LEVEL: 'warn' });
  if (migrated.code !== 0) throw new Error(`Migrating the test database failed:\n${migrated.stderr}`);

  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_APP_DATABASE_URL = url;
  process.env.TEST_DATABASE_NAME = name;
  process.env.TEST_REDIS_PREFIX = `compliance-test:${process.env.TEST_RUN_ID}:`;

  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (await redisAnswers(redisUrl)) {
    process.env.TEST_REDIS_URL = redisUrl;
  } else if (process.env.CI === 'true') {
    throw new Error(`Redis is not reachable at ${redisUrl}; CI needs it (.ci/run starts it).`);
  } else {
    process.stderr.write(`\n\n*** Redis is not reachable at ${redisUrl}: tests that need Redis are SKIPPED. Start Redis to run them. ***\n\n`);
  }
}

/** A server of this run's own (free port, fresh folder), so two runs at once never share one; teardown removes it. */
async function startEmbeddedServer(): Promise<string> {
  const log = { log: () => undefined, warn: (message: string) => process.stderr.write(`${message}\n`) };
  const folder = mkdtempSync(join(tmpdir(), 'compliance-test-postgres-'));
  // As root the server runs as `postgres`, which must enter the folder (mkdtemp makes it 0700).
  chmodSync(folder, 0o755);
  const embedded = new EmbeddedDatabase({ dataDir: join(folder, 'data'), port: await freePort(), databaseName: 'postgres' }, log);
  globalThis.__embeddedTestDatabase = { server: embedded, folder };
  const url = await embedded.start();
  return withDatabaseName(url, 'postgres');
}
