import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { BulkheadRegistry } from '../src/guards/bulkhead/bulkhead.registry';
import { GuardedRoutesModule } from './fixtures/guarded-routes.module';
import { CapturedLogs } from './helpers/captured-logs';
import { isolatedRedisPrefix } from './helpers/guarded-app';
import { startOverridableApp } from './helpers/overridable-app';

describe('@Bulkhead refusals in the logs (pool privacy: 1 running, 1 queued)', () => {
  const logs = new CapturedLogs();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startOverridableApp({
      env: { BULKHEAD_PATTERN: 'true', BULKHEAD_POOLS: 'privacy=1/1/2000', REDIS_KEY_PREFIX: isolatedRedisPrefix() },
      imports: [GuardedRoutesModule],
      logs,
    });
  });
  afterAll(async () => app?.close());

  it('logs a flood of full-pool refusals as one warning, not as errors or request lines, and counts each', async () => {
    const pool = app.get(BulkheadRegistry).pool('privacy');
    const holder = app.inject('/test/bulkhead/wait?ms=1000');
    while (pool.activeCount === 0) await sleep(5);
    const queued = app.inject('/test/bulkhead/wait?ms=1');
    while (pool.queuedCount === 0) await sleep(5);
    logs.clear();

    const refused = await Promise.all(Array.from({ length: 50 }, () => app.inject('/test/bulkhead/wait?ms=1')));
    expect(refused.map((response) => response.statusCode)).toEqual(Array(50).fill(503));
    expect((await holder).statusCode).toBe(200);
    expect((await queued).statusCode).toBe(200);

    const bulkheadLines = logs.lines.filter((line) => line.context === 'Bulkhead');
    expect(bulkheadLines).toEqual([expect.objectContaining({ level: 40, pool: 'privacy', reason: 'queue_full', suppressed: 0 })]);
    expect(logs.lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(logs.lines.filter((line) => line.context === 'Request' && line.statusCode === 503)).toEqual([]);
    expect((await app.inject('/metrics')).body).toMatch(/^bulkhead_rejected_total\{pool="privacy",reason="queue_full"\} 50$/m);
  });

  it('still logs a handler that fails inside its pool as an error', async () => {
    logs.clear();
    expect((await app.inject('/test/bulkhead/fail')).statusCode).toBe(500);
    expect(logs.lines.filter((line) => line.level === 50).map((line) => line.msg)).toEqual([
      'Unhandled error on GET /test/bulkhead/fail',
      'GET /test/bulkhead/fail 500',
    ]);
  });
});
