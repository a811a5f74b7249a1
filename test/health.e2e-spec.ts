import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { register } from 'prom-client';
import { freePort } from './helpers/free-port';
import { TcpProxy } from './helpers/tcp-proxy';
import { CpuSampler, type CpuReading } from '../src/health/cpu-sampler';
import { FixedCpuSampler } from './fixtures/fixed-cpu-sampler';
import { startOverridableApp } from './helpers/overridable-app';
import { redisAvailable, testConfig } from './helpers/test-app';
import { requireEnv } from './helpers/test-database';

const ready = (app: NestFastifyApplication, accept?: string) =>
  app.inject({ method: 'GET', url: '/health/ready', headers: accept ? { accept } : {} });

/** Polls readiness until it answers `status`; returns how long that took. */
async function untilReadiness(app: NestFastifyApplication, status: number, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    const response = await ready(app);
    if (response.statusCode === status) return Date.now() - startedAt;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`readiness still ${response.statusCode} after ${timeoutMs} ms: ${response.body}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/**
 * The real app with a CPU reading the test chooses: the cpu component measures this process, test
 * runner included, and on a shared 2-core machine it would read degraded at random.
 */
const startTestApp = (env: Record<string, string | undefined> = {}, cpu: CpuReading = { load: 0.12, eventLoopDelayMs: 3 }) =>
  startOverridableApp({ env, overrides: [{ provide: CpuSampler, useValue: new FixedCpuSampler(cpu) }] });

async function databaseChecksSoFar(): Promise<number> {
  const metric = await register.getSingleMetric('health_check_duration_seconds')?.get();
  const values = (metric?.values ?? []) as Array<{ metricName?: string; labels: Record<string, string | number>; value: number }>;
  const count = values.find((value) => value.metricName === 'health_check_duration_seconds_count' && value.labels.component === 'database');
  return count?.value ?? 0;
}

describe('health probes against real PostgreSQL and Redis', () => {
  describe('with every dependency up', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(async () => app.close());

    it('answers readiness in the deployment guide format', async () => {
      const response = await ready(app);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json();
      expect(Object.keys(body)).toEqual(['status', 'timestamp', 'version', 'uptime', 'components']);
      // The run's database has no sanctions list (sanctions suites use databases of their own): degraded.
      expect(body).toMatchObject({ status: 'degraded', version: '1.0.0', uptime: expect.any(Number) });
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
      expect(body.components.database).toEqual({ status: 'healthy', latency: expect.stringMatching(/^\d+ms$/) });
      expect(body.components.memory).toEqual({ status: 'healthy', used: expect.stringMatching(/^\d+%$/) });
      expect(body.components.cpu).toEqual({ status: 'healthy', load: '0.12' });
      expect(body.components.redis).toEqual(redisAvailable ? { status: 'healthy', latency: expect.stringMatching(/^\d+ms$/) } : { status: 'not_configured' });
      expect(body.components.sanctions_list).toEqual({ status: 'degraded', error: 'no sanctions list is loaded' });
    });

    it('answers liveness with 200 and no-store', async () => {
      const response = await app.inject({ method: 'GET', url: '/health/live' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({ status: 'healthy', timestamp: expect.any(String) });
    });

    it('speaks application/health+json when asked', async () => {
      const response = await ready(app, 'application/health+json');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/health\+json/);
      const body = response.json();
      // A degraded component (no sanctions list in this database) makes it `warn`, never `fail`.
      expect(body).toMatchObject({ status: 'warn', releaseId: '1.0.0', serviceId: 'compliance-service' });
      expect(body.checks['sanctions_list:status'][0]).toMatchObject({ componentType: 'component', status: 'warn', output: 'no sanctions list is loaded' });
      expect(body.checks['database:responseTime']).toEqual([
        { componentType: 'datastore', observedValue: expect.any(Number), observedUnit: 'ms', status: 'pass', time: expect.any(String) },
      ]);
      expect(body.checks['memory:utilization'][0]).toMatchObject({ observedUnit: 'percent', status: 'pass' });
      expect(body.checks['cpu:utilization'][0]).toMatchObject({ observedValue: 0.12, observedUnit: 'load', status: 'pass' });
      expect((await ready(app, 'application/health+json;q=0, application/json')).headers['content-type']).toMatch(/^application\/json/);
    });

    it('lets 50 concurrent probes share one database check', async () => {
      await new Promise((done) => setTimeout(done, 1_100));
      const before = await databaseChecksSoFar();
      const responses = await Promise.all(Array.from({ length: 50 }, () => ready(app)));
      expect(responses.every((response) => response.statusCode === 200)).toBe(true);
      expect((await databaseChecksSoFar()) - before).toBe(1);
    });
  });

  it('hides components when DETAILED_HEALTH_CHECKS is off', async () => {
    const app = await startTestApp({ DETAILED_HEALTH_CHECKS: 'false' });
    try {
      const plain = await ready(app);
      expect(Object.keys(plain.json())).toEqual(['status', 'timestamp']);
      const ietf = (await ready(app, 'application/health+json')).json();
      expect(Object.keys(ietf)).toEqual(['status', 'version', 'releaseId', 'serviceId']);
      expect(ietf.status).toBe('warn'); // degraded: this run's database has no sanctions list
    } finally {
      await app.close();
    }
  });

  it('reads degraded but stays ready (200) when CPU load or event-loop delay is high', async () => {
    const app = await startTestApp({}, { load: 0.95, eventLoopDelayMs: 250 });
    try {
      const response = await ready(app);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'degraded',
        components: { cpu: { status: 'degraded', load: '0.95', error: 'CPU load 0.95 above 0.9; event-loop delay p99 250 ms above 200 ms' }, database: { status: 'healthy' } },
      });
      expect((await ready(app, 'application/health+json')).json().status).toBe('warn');
    } finally {
      await app.close();
    }
  });

  describe('when the database fails (through a TCP proxy the test controls)', () => {
    let proxy: TcpProxy;
    let app: NestFastifyApplication;

    beforeAll(async () => {
      const database = new URL(requireEnv('TEST_APP_DATABASE_URL'));
      proxy = await TcpProxy.start(database.hostname, Number(database.port || 5432));
      database.host = proxy.address;
      app = await startTestApp({ DATABASE_URL: database.toString() });
    });
    afterAll(async () => {
      await proxy.restore();
      await app.close();
      await proxy.stop();
    });

    it('turns readiness 503 unhealthy within 2 s while liveness stays 200, and recovers within 2 s', async () => {
      await untilReadiness(app, 200, 5_000);
      await proxy.cut();
      expect(await untilReadiness(app, 503, 5_000)).toBeLessThan(2_000);
      const body = (await ready(app)).json();
      expect(body.status).toBe('unhealthy');
      expect(body.components.database.status).toBe('unhealthy');
      expect(body.components.database.error).toEqual(expect.any(String));
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

      await proxy.restore();
      expect(await untilReadiness(app, 200, 5_000)).toBeLessThan(2_000);
    });

    it('answers within about its timeout when the database hangs, without piling up checks', async () => {
      const timeoutMs = testConfig().health.databaseTimeoutMs;
      await untilReadiness(app, 200, 5_000);
      proxy.hang();
      await new Promise((done) => setTimeout(done, 1_100));
      const before = await databaseChecksSoFar();
      const startedAt = Date.now();
      const responses = await Promise.all(Array.from({ length: 20 }, () => ready(app)));
      const elapsed = Date.now() - startedAt;
      expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(503));
      expect(responses[0]?.json().components.database.error).toMatch(/timeout|timed out|terminated/i);
      expect(elapsed).toBeLessThan(2 * timeoutMs);
      expect((await databaseChecksSoFar()) - before).toBe(1);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      await proxy.cut();
      await proxy.restore();
      await untilReadiness(app, 200, 10_000);
    });
  });

  describe('when Redis fails', () => {
    it('reports degraded with 200 when Redis is unreachable, and 503 when Redis is made critical', async () => {
      const deadRedis = `redis://127.0.0.1:${await freePort()}`;
      const app = await startTestApp({ REDIS_URL: deadRedis });
      const critical = await startTestApp({ REDIS_URL: deadRedis, HEALTH_REDIS_CRITICAL: 'true' });
      try {
        const response = await ready(app);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ status: 'degraded', components: { redis: { status: 'degraded' }, database: { status: 'healthy' } } });
        expect((await ready(app, 'application/health+json')).json().status).toBe('warn');
        const criticalResponse = await ready(critical);
        expect(criticalResponse.statusCode).toBe(503);
        expect(criticalResponse.json()).toMatchObject({ status: 'unhealthy', components: { redis: { status: 'unhealthy' } } });
      } finally {
        await app.close();
        await critical.close();
      }
    });

    it('reports Redis as not configured, not as a failure, when REDIS_URL is unset', async () => {
      const app = await startTestApp({ REDIS_URL: undefined });
      try {
        const response = await ready(app);
        expect(response.statusCode).toBe(200);
        // Degraded only by the missing sanctions list, not by the missing Redis.
        expect(response.json()).toMatchObject({ status: 'degraded', components: { redis: { status: 'not_configured' }, sanctions_list: { status: 'degraded' } } });
      } finally {
        await app.close();
      }
    });
  });
});
