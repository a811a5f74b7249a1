import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BulkheadPool } from '../src/guards/bulkhead/bulkhead-pool';
import { BulkheadRegistry } from '../src/guards/bulkhead/bulkhead.registry';
import { migratedScratchDatabase } from './helpers/flag-store';
import { ADMIN_TOKEN, isolatedRedisPrefix, startGuardedApp } from './helpers/guarded-app';

/** Polls until `condition` holds; fails after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const startedAt = performance.now();
  while (!condition()) {
    if (performance.now() - startedAt > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('@Bulkhead (pool privacy: 1 running, 1 queued, 300 ms queue timeout)', () => {
  let app: NestFastifyApplication;
  let base: string;
  let pool: BulkheadPool;
  const get = (path: string, signal?: AbortSignal) => fetch(`${base}${path}`, { signal });

  // Flag overrides live in PostgreSQL: a database of its own keeps them from other suites' apps.
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await migratedScratchDatabase('bulkhead');
    app = await startGuardedApp({ BULKHEAD_PATTERN: 'true', BULKHEAD_POOLS: 'privacy=1/1/300', REDIS_KEY_PREFIX: isolatedRedisPrefix(), DATABASE_URL: database.url });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    pool = app.get(BulkheadRegistry).pool('privacy');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  afterEach(async () => {
    await eventually(() => pool.activeCount === 0 && pool.queuedCount === 0);
  });

  it('releases the slot after a success', async () => {
    expect((await get('/test/bulkhead/wait?ms=10')).status).toBe(200);
    expect(pool.activeCount).toBe(0);
  });

  it('releases the slot when the handler throws', async () => {
    const failed = await get('/test/bulkhead/fail');
    expect(failed.status).toBe(500);
    expect(pool.activeCount).toBe(0);
    const startedAt = performance.now();
    expect((await get('/test/bulkhead/wait?ms=10')).status).toBe(200);
    expect(performance.now() - startedAt).toBeLessThan(250);
  });

  it('answers 503 with Retry-After at once when the pool and its queue are full', async () => {
    const holder = get('/test/bulkhead/wait?ms=200');
    await eventually(() => pool.activeCount === 1);
    const queued = get('/test/bulkhead/wait?ms=10');
    await eventually(() => pool.queuedCount === 1);
    const startedAt = performance.now();
    const refused = await get('/test/bulkhead/wait?ms=10');
    expect(performance.now() - startedAt).toBeLessThan(200);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 503, code: 'BULKHEAD.FULL' });
    expect((await holder).status).toBe(200);
    expect((await queued).status).toBe(200);
  });

  it('answers 503 after the queue timeout and gives the place up', async () => {
    const holder = get('/test/bulkhead/wait?ms=700');
    await eventually(() => pool.activeCount === 1);
    const startedAt = performance.now();
    const timedOut = await get('/test/bulkhead/wait?ms=10');
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(timedOut.status).toBe(503);
    expect(timedOut.headers.get('retry-after')).toBe('1');
    expect(await timedOut.json()).toMatchObject({ code: 'BULKHEAD.QUEUE_TIMEOUT' });
    expect(pool.queuedCount).toBe(0);
    expect((await holder).status).toBe(200);
  });

  it('gives up the queue place of a client that disconnects while waiting', async () => {
    const holder = get('/test/bulkhead/wait?ms=250');
    await eventually(() => pool.activeCount === 1);
    const leaving = new AbortController();
    const abandoned = get('/test/bulkhead/wait?ms=10', leaving.signal).catch((error: Error) => error.name);
    await eventually(() => pool.queuedCount === 1);
    leaving.abort();
    expect(await abandoned).toBe('AbortError');
    await eventually(() => pool.queuedCount === 0, 200);
    // The place is free again: this caller queues instead of being refused as "full".
    expect((await get('/test/bulkhead/wait?ms=10')).status).toBe(200);
    expect((await holder).status).toBe(200);
  });

  it('releases the slot when a running handler stops because its client disconnected', async () => {
    const leaving = new AbortController();
    const abandoned = get('/test/bulkhead/wait?ms=10000', leaving.signal).catch((error: Error) => error.name);
    await eventually(() => pool.activeCount === 1);
    leaving.abort();
    expect(await abandoned).toBe('AbortError');
    await eventually(() => pool.activeCount === 0, 500);
    expect((await get('/test/bulkhead/wait?ms=10')).status).toBe(200);
  });

  it('reports active, queued and rejected per pool', async () => {
    const holder = get('/test/bulkhead/wait?ms=300');
    await eventually(() => pool.activeCount === 1);
    const queued = get('/test/bulkhead/wait?ms=10');
    await eventually(() => pool.queuedCount === 1);
    await get('/test/bulkhead/wait?ms=10');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^bulkhead_active\{pool="privacy"\} 1$/m);
    expect(metrics).toMatch(/^bulkhead_queued\{pool="privacy"\} 1$/m);
    expect(metrics).toMatch(/^bulkhead_rejected_total\{pool="privacy",reason="queue_full"\} [1-9]\d*$/m);
    await Promise.all([holder, queued]);
  });

  it('stops bounding concurrency when BULKHEAD_PATTERN is turned off at runtime', async () => {
    const admin = { 'x-internal-token': ADMIN_TOKEN, 'content-type': 'application/json' };
    const off = await fetch(`${base}/admin/flags/BULKHEAD_PATTERN/override`, { method: 'PUT', headers: admin, body: JSON.stringify({ enabled: false }) });
    expect(off.status).toBe(200);
    try {
      const answers = await Promise.all([1, 2, 3].map(() => get('/test/bulkhead/wait?ms=100')));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    } finally {
      await fetch(`${base}/admin/flags/BULKHEAD_PATTERN/override`, { method: 'DELETE', headers: admin });
    }
  });
});
