import { NestFactory } from '@nestjs/core';
import { loadConfig } from '../config/config.loader';
import { HealthCliModule } from '../health/health-cli.module';
import { RedisHealthIndicator } from '../health/indicators/redis.health-indicator';

/** `npm run redis:ping`: the readiness probe's Redis check, printed for a human. */
async function main(): Promise<number> {
  const config = loadConfig(process.env, { requireSecrets: false });
  if (config.redis.url === undefined) {
    process.stdout.write('Redis is not configured (REDIS_URL unset): the service uses in-process fallbacks.\n');
    return 0;
  }
  const context = await NestFactory.createApplicationContext(HealthCliModule.forRoot(config), { logger: ['error'] });
  try {
    const result = await context.get(RedisHealthIndicator).check();
    const host = new URL(config.redis.url).host;
    if (result.status === 'healthy') {
      process.stdout.write(`PONG from ${host} in ${result.latencyMs} ms\n`);
      return 0;
    }
    process.stdout.write(`Redis at ${host} is ${result.status}: ${result.error}\n`);
    return 1;
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`redis:ping failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
