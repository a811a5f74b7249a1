import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app.factory';
import { GuardedRoutesModule } from '../fixtures/guarded-routes.module';
import { testConfig } from './test-app';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789';

/** A Redis key prefix of its own under this run's prefix (teardown still removes it), so files never share counters. */
export function isolatedRedisPrefix(): string {
  return `${process.env.TEST_REDIS_PREFIX ?? 'compliance-test:'}${randomBytes(4).toString('hex')}:`;
}

/**
 * The real application plus the test-only guarded routes. Until auth exists, tests name the caller
 * with `x-test-tenant`/`x-test-user`, which only this test hook reads.
 */
export async function startGuardedApp(
  overrides: Record<string, string | undefined> = {},
  beforeReady?: (fastify: FastifyInstance) => void,
): Promise<NestFastifyApplication> {
  const app = await createApp(testConfig({ ADMIN_API_TOKEN: ADMIN_TOKEN, ...overrides }), [GuardedRoutesModule]);
  beforeReady?.(app.getHttpAdapter().getInstance());
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request) => {
    const tenantId = request.headers['x-test-tenant'];
    if (typeof tenantId === 'string') request.principal = { tenantId, userId: String(request.headers['x-test-user'] ?? 'user-1'), roles: ['service'], venueIds: [] };
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
