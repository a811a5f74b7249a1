import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource, type QueryRunner } from 'typeorm';
import { freePort } from './helpers/free-port';
import { ADMIN_TOKEN, isolatedRedisPrefix } from './helpers/guarded-app';
import { parsePrometheusText, type Sample, samplesOf, valueOf } from './helpers/prometheus-text';
import { migratedScratchDatabase } from './helpers/flag-store';
import { redisAvailable, startTestApp } from './helpers/test-app';

async function scrape(app: NestFastifyApplication): Promise<Sample[]> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  return parsePrometheusText(response.body);
}

/** Every series of the HTTP metrics, as `name{labels}` keys. */
function httpSeries(samples: Sample[]): Set<string> {
  return new Set(samples.filter((sample) => sample.name.startsWith('http_')).map((sample) => `${sample.name}${JSON.stringify(sample.labels)}`));
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const startedAt = Date.now();
  while (!(await check())) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A request handler that stays pending until the test opens the gate. */
class Gate {
  private open: () => void = () => undefined;
  private promise = this.reset();

  reset(): Promise<void> {
    this.promise = new Promise((resolve) => (this.open = resolve));
    return this.promise;
  }

  wait(): Promise<void> {
    return this.promise;
  }

  release(): void {
    this.open();
  }
}

describe('metrics: GET /metrics and the HTTP, database and Redis metrics', () => {
  let app: NestFastifyApplication;
  const gate = new Gate();

  beforeAll(async () => {
    // Background readers (flag overrides, the sanctions list version, job workers picking up jobs other
    // suites enqueue in the shared database) would share the pool being measured.
    app = await startTestApp({ DATABASE_POOL_SIZE: '3', FLAG_REFRESH_INTERVAL_MS: '600000', SANCTIONS_LIST_POLL_INTERVAL_MS: '600000', JOBS_WORKERS: 'false' }, (nest) => {
      const fastify = nest.getHttpAdapter().getInstance();
      fastify.get('/test/venues/:venueId', async (request) => ({ venueId: (request.params as { venueId: string }).venueId }));
      fastify.get('/__test/slow', async () => {
        await gate.wait();
        return { done: true };
      });
    });
  });

  afterAll(async () => {
    gate.release();
    await app.close();
  });

  it('serves the Prometheus text format with the default Node.js and process metrics', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const samples = parsePrometheusText(response.body);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(samplesOf(samples, name)).toHaveLength(1);
    }
  });

  it('names counters, and only counters, with _total (promtool check metrics)', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    const types = [...response.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name, type }));
    expect(types.length).toBeGreaterThan(20);
    expect(types.filter(({ name, type }) => (type === 'counter') !== name?.endsWith('_total'))).toEqual([]);
  });

  it('creates the guards\' refusal counters at 0, so their panels show 0 rather than "No data"', async () => {
    const samples = await scrape(app);
    expect(valueOf(samples, 'rate_limit_rejections_total', { throttler: 'default' })).toBe(0);
    expect(valueOf(samples, 'rate_limit_rejections_total', { throttler: 'strict' })).toBe(0);
    expect(valueOf(samples, 'bulkhead_rejected_total', { pool: 'ofac', reason: 'queue_full' })).toBe(0);
    expect(valueOf(samples, 'load_shed_requests_total', { route: '/admin/flags', reason: 'event_loop_busy' })).toBe(0);
    expect(valueOf(samples, 'load_shed_requests_total', { route: '/health/live', reason: 'event_loop_busy' })).toBeUndefined();
  });

  it('labels requests with the route template, never the raw path', async () => {
    const labels = { method: 'GET', route: '/test/venues/:venueId', status_code: '200' };
    const before = valueOf(await scrape(app), 'http_requests_total', labels) ?? 0;
    for (const venueId of ['v-123', 'v-456']) {
      expect((await app.inject({ method: 'GET', url: `/test/venues/${venueId}` })).statusCode).toBe(200);
    }
    const after = await scrape(app);
    expect(valueOf(after, 'http_requests_total', labels)).toBe(before + 2);
    expect(after.some((sample) => Object.values(sample.labels).some((value) => value.includes('v-123')))).toBe(false);
  });

  it('times requests in buckets that include the 0.5 s SLO boundary, one observation per request', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    const samples = await scrape(app);
    const labels = { method: 'GET', route: '/health/live', status_code: '200' };
    const buckets = samplesOf(samples, 'http_request_duration_seconds_bucket', labels).map((sample) => sample.labels.le);
    expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf']);
    expect(valueOf(samples, 'http_request_duration_seconds_count', labels)).toBe(valueOf(samples, 'http_requests_total', labels));
  });

  it('puts every unmatched request under one route value: 1,000 random paths add no series', async () => {
    const methods = ['GET', 'POST', 'DELETE', 'PROPFIND'] as const;
    for (const method of methods) await app.inject({ method, url: '/warm-up' });
    const before = await scrape(app);
    const unmatchedBefore = valueOf(before, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' }) ?? 0;

    for (let i = 0; i < 1_000; i += 1) {
      const segments = Array.from({ length: 1 + (i % 4) }, () => randomBytes(6).toString('hex'));
      const response = await app.inject({ method: methods[i % methods.length], url: `/${segments.join('/')}?q=${i}&email=x${i}@example.com` });
      expect(response.statusCode).toBe(404);
    }

    const after = await scrape(app);
    expect(httpSeries(after)).toEqual(httpSeries(before));
    expect(valueOf(after, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(unmatchedBefore + 250);
    expect(valueOf(after, 'http_requests_total', { method: 'OTHER', route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(250);
  });

  it('counts a request in flight until it is answered (a scrape counts itself)', async () => {
    expect(valueOf(await scrape(app), 'http_requests_in_flight')).toBe(1);
    gate.reset();
    const slow = app.inject({ method: 'GET', url: '/__test/slow' });
    await eventually(async () => valueOf(await scrape(app), 'http_requests_in_flight') === 2, 'the slow request to be in flight');
    gate.release();
    expect((await slow).statusCode).toBe(200);
    expect(valueOf(await scrape(app), 'http_requests_in_flight')).toBe(1);
  });

  it('counts a request whose client disconnects as 499, and no longer in flight', async () => {
    await app.listen({ port: await freePort(), host: '127.0.0.1' });
    const port = (app.getHttpServer().address() as { port: number }).port;
    const abandoned = { method: 'GET', route: '/__test/slow', status_code: '499' };
    const before = valueOf(await scrape(app), 'http_requests_total', abandoned) ?? 0;
    gate.reset();

    const client = httpRequest({ host: '127.0.0.1', port, path: '/__test/slow' });
    client.on('error', () => undefined);
    client.end();
    await eventually(async () => valueOf(await scrape(app), 'http_requests_in_flight') === 2, 'the request to be in flight');
    client.destroy();

    await eventually(async () => valueOf(await scrape(app), 'http_requests_total', abandoned) === before + 1, 'the abandoned request to be counted');
    expect(valueOf(await scrape(app), 'http_requests_in_flight')).toBe(1);
    gate.release();
  });

  it('reads the pg pool at scrape time: max, in use, idle and queries waiting for a connection', async () => {
    const dataSource = app.get(DataSource);
    const runners: QueryRunner[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        runners.push(runner);
      }
      const queued = dataSource.query('SELECT 1');
      await eventually(async () => valueOf(await scrape(app), 'database_connection_pool_waiting') === 1, 'a query to wait for a connection');
      const exhausted = await scrape(app);
      expect(valueOf(exhausted, 'database_connection_pool_max')).toBe(3);
      expect(valueOf(exhausted, 'database_connection_pool_size')).toBe(3);
      expect(valueOf(exhausted, 'database_connection_pool_in_use')).toBe(3);
      expect(valueOf(exhausted, 'database_connection_pool_idle')).toBe(0);

      await Promise.all(runners.splice(0).map((runner) => runner.release()));
      await queued;
      const released = await scrape(app);
      expect(valueOf(released, 'database_connection_pool_in_use')).toBe(0);
      expect(valueOf(released, 'database_connection_pool_waiting')).toBe(0);
      expect(valueOf(released, 'database_connection_pool_idle')).toBe(valueOf(released, 'database_connection_pool_size'));
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
  });

  it('times successful queries and counts failed ones', async () => {
    const dataSource = app.get(DataSource);
    const before = await scrape(app);
    await dataSource.query('SELECT pg_sleep(0.05)');
    await expect(dataSource.query('SELECT * FROM metrics_test_no_such_table')).rejects.toThrow(/does not exist/);
    const after = await scrape(app);
    // At least: a scrape's own reads (job status, the compliance gauges) are queries too.
    expect(valueOf(after, 'database_query_duration_seconds_count')).toBeGreaterThanOrEqual((valueOf(before, 'database_query_duration_seconds_count') ?? 0) + 1);
    expect((valueOf(after, 'database_query_duration_seconds_sum') ?? 0) - (valueOf(before, 'database_query_duration_seconds_sum') ?? 0)).toBeGreaterThanOrEqual(0.05);
    expect(valueOf(after, 'database_query_errors_total')).toBe((valueOf(before, 'database_query_errors_total') ?? 0) + 1);
  });

  it('reports the Redis connection as up, with no errors', async () => {
    const samples = await scrape(app);
    expect(valueOf(samples, 'redis_connection_up')).toBe(redisAvailable ? 1 : 0);
    expect(valueOf(samples, 'redis_connection_errors_total')).toBe(0);
  });

  it('serves the metrics other modules register through the same pattern (health)', async () => {
    await app.inject({ method: 'GET', url: '/health/ready' });
    const samples = await scrape(app);
    expect(valueOf(samples, 'health_component_status', { component: 'database' })).toBe(1);
    expect(valueOf(samples, 'health_check_duration_seconds_count', { component: 'database' })).toBeGreaterThanOrEqual(1);
  });
});

describe('metrics: the METRICS_ENDPOINT flag', () => {
  it('answers /metrics with a 404 problem when the flag is off', async () => {
    const app = await startTestApp({ METRICS_ENDPOINT: 'false' });
    try {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 404, code: 'RESOURCE.NOT_FOUND' });
    } finally {
      await app.close();
    }
  });

  it('follows a runtime override of the flag, and its removal', async () => {
    // Overrides live in PostgreSQL: a database of its own keeps this one from reaching other suites' apps.
    const database = await migratedScratchDatabase('metrics-flag');
    const app = await startTestApp({ ADMIN_API_TOKEN: ADMIN_TOKEN, REDIS_KEY_PREFIX: isolatedRedisPrefix(), DATABASE_URL: database.url });
    const admin = { 'x-internal-token': ADMIN_TOKEN };
    const status = async () => (await app.inject({ method: 'GET', url: '/metrics' })).statusCode;
    try {
      expect(await status()).toBe(200);
      const off = await app.inject({ method: 'PUT', url: '/admin/flags/METRICS_ENDPOINT/override', headers: admin, payload: { enabled: false } });
      expect(off.statusCode).toBe(200);
      await eventually(async () => (await status()) === 404, '/metrics to answer 404');
      await app.inject({ method: 'DELETE', url: '/admin/flags/METRICS_ENDPOINT/override', headers: admin });
      await eventually(async () => (await status()) === 200, '/metrics to answer 200 again');
    } finally {
      await app.close();
      await database.drop();
    }
  });
});

describe('metrics: Redis unreachable', () => {
  it('counts every failed reconnect as a connection error and reports the connection down', async () => {
    const app = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      await eventually(async () => (valueOf(await scrape(app), 'redis_connection_errors_total') ?? 0) >= 3, 'three connection errors');
      expect(valueOf(await scrape(app), 'redis_connection_up')).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('metrics: several apps in one process (tests)', () => {
  it('binds the pool gauges to the running app, and lets a second app start beside the first', async () => {
    const first = await startTestApp({ DATABASE_POOL_SIZE: '2' });
    expect(valueOf(await scrape(first), 'database_connection_pool_max')).toBe(2);
    await first.close();

    const second = await startTestApp({ DATABASE_POOL_SIZE: '4' });
    try {
      expect(valueOf(await scrape(second), 'database_connection_pool_max')).toBe(4);
      const beside = await startTestApp();
      await beside.close();
    } finally {
      await second.close();
    }
  });
});
