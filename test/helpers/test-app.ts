import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/config.loader';
import { assertTestDatabaseName, databaseNameOf, requireEnv } from './test-database';

/** Secrets for tests: long enough to pass production rules, obviously not real. */
export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  WEBHOOK_SECRET: 'test-webhook-secret-0123456789abcdef01234',
  STRIPE_WEBHOOK_SECRET: 'test-stripe-secret-0123456789abcdef012345',
  ENCRYPTION_KEY: '7465737420656e6372797074696f6e206b657920303132333435363738396162',
};

/** The default rate limit of test apps (suites share per-IP counters); rate-limit tests set their own. */
export const TEST_RATE_LIMIT = 100_000;

export const redisAvailable = process.env.TEST_REDIS_URL !== undefined;

/** Configuration as a deployment would give it, pointed at this run's database and Redis prefix. */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  const databaseUrl = overrides.DATABASE_URL ?? requireEnv('TEST_APP_DATABASE_URL');
  assertTestDatabaseName(databaseNameOf(databaseUrl));
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_KEY_PREFIX: process.env.TEST_REDIS_PREFIX,
    ...TEST_SECRETS,
    RATE_LIMIT_DEFAULT_LIMIT: String(TEST_RATE_LIMIT),
    ...overrides,
  };
  return loadConfig(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)));
}

/** The real application, initialised and ready for `inject`, against real PostgreSQL and Redis. */
export async function startTestApp(
  overrides: Record<string, string | undefined> = {},
  beforeReady?: (app: NestFastifyApplication) => void,
): Promise<NestFastifyApplication> {
  const app = await createApp(testConfig(overrides));
  beforeReady?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
