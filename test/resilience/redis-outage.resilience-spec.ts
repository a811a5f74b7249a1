import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../helpers/eventually';
import { REDIS_CONNECTION_ERRORS } from '../../src/metrics/redis.metrics';
import { ThrowawayRedis } from '../helpers/throwaway-redis';
import { call, failedOutcomes } from './support/fixed-rate-traffic';
import { scrapedValue } from './support/scrape';
import { ServiceUnderLoad } from './support/service-under-load';

/** ioredis reconnects with a back-off of at most 2 s (src/redis/redis-client.factory.ts); readiness checks every second. */
const RECOVERY_MS = 10_000;

/** Screening results the service cached in this Redis (keys carry the run's prefix). */
async function cachedScreenings(url: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return (await client.keys('*sanctions:screening:*')).length;
  } finally {
    client.disconnect();
  }
}

const redisComponent = async (base: string) =>
  (((await call(base, { method: 'GET', path: '/health/ready', headers: {} })).json as { components?: { redis?: { status?: string } } } | undefined)?.components?.redis?.status);

describe('Redis outage: a private redis-server killed and started again under load', () => {
  let redis: ThrowawayRedis;
  let loaded: ServiceUnderLoad;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    loaded = await ServiceUnderLoad.start({ REDIS_URL: redis.url });
  });

  afterAll(async () => {
    expect(await loaded?.stop()).toEqual({ code: 0, signal: null });
    await redis.stop();
  });

  it('keeps serving with limits open and the cache bypassed, reads degraded (200), counts the errors, and recovers without a restart', async () => {
    const { base } = loaded;
    const { traffic, probes, mix } = await loaded.startTraffic(15);
    const counted = () => call(base, { method: 'GET', path: '/api/v1/risk/flags', headers: mix.officer.headers });
    await sleep(2_000);
    expect(await redisComponent(base)).toBe('healthy');
    expect((await counted()).rateLimit).not.toBeNull();
    expect(await cachedScreenings(redis.url)).toBeGreaterThan(0);
    const errorsBefore = await scrapedValue(base, REDIS_CONNECTION_ERRORS);

    const port = Number(new URL(redis.url).port);
    await redis.stop();
    await eventually(async () => ((await redisComponent(base)) === 'degraded' ? true : undefined), RECOVERY_MS, 'readiness reports redis degraded');
    await sleep(2_000);
    const duringOutage = await counted();
    expect({ status: duringOutage.status, rateLimit: duringOutage.rateLimit }).toEqual({ status: 200, rateLimit: null });
    expect(await scrapedValue(base, 'redis_connection_up')).toBe(0);
    expect(await scrapedValue(base, REDIS_CONNECTION_ERRORS)).toBeGreaterThan(errorsBefore);

    redis = await ThrowawayRedis.start(port);
    await eventually(async () => ((await redisComponent(base)) === 'healthy' ? true : undefined), RECOVERY_MS, 'readiness reports redis healthy again');
    await sleep(2_000);
    const outcomes = await traffic.stop();
    await probes.stop();

    expect(loaded.crash).toBeUndefined();
    expect(await scrapedValue(base, 'redis_connection_up')).toBe(1);
    expect((await counted()).rateLimit).not.toBeNull();
    // The new server started empty: entries in it are screenings cached after the recovery.
    expect(await cachedScreenings(redis.url)).toBeGreaterThan(0);
    const failed = failedOutcomes(outcomes);
    expect({ failed, log: failed.length > 0 ? loaded.warnings() : [] }).toEqual({ failed: [], log: [] });
    expect(outcomes.length).toBeGreaterThan(100);
    // Redis is not critical (HEALTH_REDIS_CRITICAL=false): the pod stays in the endpoints throughout.
    expect(probes.others('/health/ready', 200)).toEqual([]);
    expect(probes.others('/health/live', 200)).toEqual([]);
  });
});
