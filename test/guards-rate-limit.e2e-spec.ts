import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { Counter, Registry } from 'prom-client';
import { MemoryThrottlerStorage } from '../src/guards/rate-limit/memory-throttler.storage';
import { RedisThrottlerStorage } from '../src/guards/rate-limit/redis-throttler.storage';
import { isolatedRedisPrefix, startGuardedApp } from './helpers/guarded-app';
import { redisAvailable } from './helpers/test-app';
import { ThrowawayRedis } from './helpers/throwaway-redis';
import { addClientAddressRoute, clientAddressSeenBy } from './helpers/client-address';

const statuses = async (app: NestFastifyApplication, count: number, request: Parameters<NestFastifyApplication['inject']>[0]) => {
  const answers: number[] = [];
  for (let index = 0; index < count; index += 1) answers.push((await app.inject(request)).statusCode);
  return answers;
};

(redisAvailable ? describe : describe.skip)('rate limiting shared through Redis', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    const limits = { REDIS_KEY_PREFIX: isolatedRedisPrefix(), RATE_LIMIT_DEFAULT_LIMIT: '3', RATE_LIMIT_STRICT_LIMIT: '1' };
    first = await startGuardedApp(limits);
    second = await startGuardedApp(limits);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  it('holds one limit across two instances, then answers 429 with Retry-After and the IETF fields', async () => {
    const caller = { 'x-test-tenant': 'shared', 'x-test-user': 'u-shared' };
    const answered = [
      await first.inject({ url: '/test/limited', headers: caller }),
      await second.inject({ url: '/test/limited', headers: caller }),
      await first.inject({ url: '/test/limited', headers: caller }),
    ];
    expect(answered.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(answered.map((answer) => answer.headers.ratelimit)).toEqual([
      expect.stringMatching(/^"default";r=2;t=\d+$/),
      expect.stringMatching(/^"default";r=1;t=\d+$/),
      expect.stringMatching(/^"default";r=0;t=\d+$/),
    ]);
    expect(answered[0]?.headers['ratelimit-policy']).toBe('"default";q=3;w=60');
    const refused = await second.inject({ url: '/test/limited', headers: caller });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMIT.EXCEEDED' });
    expect(refused.headers['x-ratelimit-limit']).toBeUndefined();
    expect((await first.inject({ url: '/test/limited', headers: caller })).statusCode).toBe(429);
    expect((await first.inject('/metrics')).body).toMatch(/^rate_limit_rejections_total\{throttler="default"\} [1-9]\d*$/m);
  });

  it('counts an authenticated user apart from the address it calls from', async () => {
    expect(await statuses(first, 4, { url: '/test/limited', remoteAddress: '10.9.9.9' })).toEqual([200, 200, 200, 429]);
    expect((await first.inject({ url: '/test/limited', remoteAddress: '10.9.9.9', headers: { 'x-test-tenant': 'acme', 'x-test-user': 'u-1' } })).statusCode).toBe(200);
    expect((await first.inject({ url: '/test/limited', remoteAddress: '10.9.9.10' })).statusCode).toBe(200);
  });

  it('puts a @StrictRateLimit route under both throttlers', async () => {
    const caller = { 'x-test-tenant': 'acme', 'x-test-user': 'u-strict' };
    const allowed = await first.inject({ url: '/test/strict', headers: caller });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['ratelimit-policy']).toBe('"default";q=3;w=60, "strict";q=1;w=60');
    const refused = await second.inject({ url: '/test/strict', headers: caller });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers.ratelimit).toMatch(/"strict";r=0;t=\d+$/);
  });

  it('never limits probes or scrapes', async () => {
    const from = { remoteAddress: '10.7.7.7' };
    await statuses(first, 4, { url: '/test/limited', ...from });
    expect(await statuses(first, 5, { url: '/health/live', ...from })).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(first, 5, { url: '/metrics', ...from })).toEqual([200, 200, 200, 200, 200]);
  });
});

/**
 * X-Forwarded-For counts only when the TCP peer is one of TRUSTED_PROXIES; the same with counters in
 * Redis and in memory (no Redis), since the key comes from Fastify's `request.ip` either way.
 */
function trustsForwardedForOnlyFromTrustedProxies(storage: { REDIS_URL?: string }): void {
  let app: NestFastifyApplication;
  const ingress = '10.0.0.2';
  const directPod = '192.0.2.50';

  beforeAll(async () => {
    app = await startGuardedApp({ ...storage, REDIS_KEY_PREFIX: isolatedRedisPrefix(), RATE_LIMIT_DEFAULT_LIMIT: '2', TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8' }, addClientAddressRoute);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('takes the client address from X-Forwarded-For when the peer is a trusted proxy, ignoring what the client prepended', async () => {
    expect(await clientAddressSeenBy(app, ingress, '1.1.1.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(await clientAddressSeenBy(app, '::ffff:10.0.0.3', '203.0.113.7')).toBe('203.0.113.7');
    const answers = [];
    for (const forged of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) {
      answers.push((await app.inject({ url: '/test/limited', remoteAddress: ingress, headers: { 'x-forwarded-for': `${forged}, 203.0.113.7` } })).statusCode);
    }
    expect(answers).toEqual([200, 200, 429]);
    expect((await app.inject({ url: '/test/limited', remoteAddress: ingress, headers: { 'x-forwarded-for': '203.0.113.8' } })).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer outside the list, so a pod calling directly cannot choose its key', async () => {
    expect(await clientAddressSeenBy(app, directPod, '203.0.113.9')).toBe(directPod);
    const answers = [];
    for (const chosen of ['203.0.113.10', '203.0.113.11', '203.0.113.12']) {
      answers.push((await app.inject({ url: '/test/limited', remoteAddress: directPod, headers: { 'x-forwarded-for': chosen } })).statusCode);
    }
    expect(answers).toEqual([200, 200, 429]);
  });

  it('trusts nobody by default', async () => {
    const direct = await startGuardedApp({ ...storage, REDIS_KEY_PREFIX: isolatedRedisPrefix() }, addClientAddressRoute);
    try {
      expect(await clientAddressSeenBy(direct, ingress, '203.0.113.7')).toBe(ingress);
    } finally {
      await direct.close();
    }
  });
}

(redisAvailable ? describe : describe.skip)('trusted proxies, counters in Redis', () => trustsForwardedForOnlyFromTrustedProxies({}));

describe('trusted proxies, counters in memory (no Redis)', () => trustsForwardedForOnlyFromTrustedProxies({ REDIS_URL: undefined }));

describe('rate limiting when Redis goes away', () => {
  let redis: ThrowawayRedis;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    app = await startGuardedApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'outage-test:', RATE_LIMIT_DEFAULT_LIMIT: '2' });
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('fails open: every request is still served, quickly, and the failures are counted', async () => {
    expect(await statuses(app, 3, { url: '/test/limited', remoteAddress: '10.1.1.1' })).toEqual([200, 200, 429]);
    await redis.stop();
    const during: number[] = [];
    const durationsMs: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const startedAt = performance.now();
      during.push((await app.inject({ url: '/test/limited', remoteAddress: '10.1.1.1' })).statusCode);
      durationsMs.push(performance.now() - startedAt);
    }
    expect(during).toEqual([200, 200, 200, 200, 200]);
    // Each request waits at most RATE_LIMIT_REDIS_TIMEOUT_MS (100 ms) for the dead Redis; 3× leaves
    // room for a busy machine and still catches a fail-open that waits for a reconnect.
    expect(Math.max(...durationsMs)).toBeLessThan(3 * 100);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^rate_limit_storage_errors_total [5-9]\d*$/m);
    expect((await app.inject('/health/live')).statusCode).toBe(200);
  });
});

(redisAvailable ? describe : describe.skip)('counters without Redis mean what they mean with it', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.TEST_REDIS_URL as string, { keyPrefix: isolatedRedisPrefix() });
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it.each([
    ['no block: refused until the window ends', 0],
    ['a block after the hit past the limit', 30_000],
  ])('answers the same hits, refusals and waits: %s', async (_case, blockMs) => {
    const errors = new Counter({ name: 'parity_errors_total', help: 'unused', registers: [new Registry()] });
    const shared = new RedisThrottlerStorage(redis, 1_000, errors);
    const local = new MemoryThrottlerStorage();
    const answers = async (storage: RedisThrottlerStorage | MemoryThrottlerStorage) => {
      const seen = [];
      for (let hit = 0; hit < 6; hit += 1) seen.push(await storage.increment(`parity-${blockMs}`, 60_000, 3, blockMs));
      return seen;
    };
    const fromRedis = await answers(shared);
    expect(fromRedis.map(({ totalHits }) => totalHits)).toEqual(blockMs > 0 ? [1, 2, 3, 4, 4, 4] : [1, 2, 3, 4, 5, 6]);
    expect(await answers(local)).toEqual(fromRedis);
  });
});
