import { loadConfig } from '../config/config.loader';
import { createRedisClient } from './redis-client.factory';

/** `npm run redis:ping`: latency of a PING, or a clear word that Redis is not configured. */
async function main(): Promise<number> {
  const config = loadConfig(process.env, { requireSecrets: false });
  const client = createRedisClient(config.redis, 'compliance-service-redis-ping');
  if (client === null) {
    process.stdout.write('Redis is not configured (REDIS_URL unset): the service uses in-process fallbacks.\n');
    return 0;
  }
  client.on('error', () => undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      setTimeout(() => reject(new Error(`no connection to ${new URL(config.redis.url as string).host} within 2 s`)), 2_000).unref();
    });
    const startedAt = performance.now();
    const answer = await client.ping();
    process.stdout.write(`${answer} in ${(performance.now() - startedAt).toFixed(1)} ms (${new URL(config.redis.url as string).host})\n`);
    return 0;
  } finally {
    client.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`redis:ping failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
