import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { dropRunDatabases } from '../helpers/test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  const runId = process.env.TEST_RUN_ID;
  if (adminUrl && runId) await dropRunDatabases(adminUrl, runId);
  const embedded = globalThis.__embeddedTestDatabase;
  if (embedded !== undefined) {
    await embedded.server.stop();
    rmSync(embedded.folder, { recursive: true, force: true });
    rmSync(embedded.server.dataDirectory, { recursive: true, force: true });
  }
  await deleteRunKeys();
}

/** Removes every Redis key this run wrote under its prefix. */
async function deleteRunKeys(): Promise<void> {
  const url = process.env.TEST_REDIS_URL;
  const prefix = process.env.TEST_REDIS_PREFIX;
  if (!url || !prefix) return;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
