import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoadMonitor } from '../src/guards/load-shedding/load-monitor';
import type { LoadSignals } from '../src/guards/load-shedding/shed-decision';
import { CALM, FixedLoadMonitor } from './fixtures/fixed-load-monitor';
import { GuardedRoutesModule } from './fixtures/guarded-routes.module';
import { CapturedLogs } from './helpers/captured-logs';
import { migratedScratchDatabase } from './helpers/flag-store';
import { ADMIN_TOKEN, isolatedRedisPrefix } from './helpers/guarded-app';
import { startOverridableApp } from './helpers/overridable-app';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sheddable thresholds; `default` tolerates twice these, `critical` four times (memory: see shed-decision.ts). */
const THRESHOLDS = { LOAD_SHEDDING_LOOP_DELAY_MS: '50', LOAD_SHEDDING_MAX_IN_FLIGHT: '100', LOAD_SHEDDING_HEAP_PERCENT: '90', LOAD_SHEDDING_RSS_PERCENT: '90' };
const ROUTES = ['/test/spin/sheddable?ms=0', '/test/flagged-limited', '/test/spin/critical?ms=0', '/health/live', '/metrics'] as const;

/** Polls until `condition` holds; fails after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const startedAt = performance.now();
  while (!(await condition())) {
    if (performance.now() - startedAt > timeoutMs) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** nestjs-pino keeps the first app's logger for the process: every app in this file logs here. */
const logs = new CapturedLogs();

/** Flag overrides live in PostgreSQL: this file's own database keeps them from other suites' apps. */
let database: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  database = await migratedScratchDatabase('shedding');
});
afterAll(async () => {
  await database.drop();
});

const startApp = (monitor: FixedLoadMonitor): Promise<NestFastifyApplication> =>
  startOverridableApp({
    env: { LOAD_SHEDDING: 'true', BULKHEAD_PATTERN: 'true', ADMIN_API_TOKEN: ADMIN_TOKEN, REDIS_KEY_PREFIX: isolatedRedisPrefix(), DATABASE_URL: database.url, ...THRESHOLDS },
    imports: [GuardedRoutesModule],
    overrides: [{ provide: LoadMonitor, useValue: monitor }],
    logs,
  });

describe('load shedding, on load readings the test chooses', () => {
  const monitor = new FixedLoadMonitor();
  let app: NestFastifyApplication;
  const statuses = async (reading: Partial<LoadSignals>): Promise<number[]> => {
    monitor.reading = { ...CALM, ...reading };
    const answers = [];
    for (const url of ROUTES) answers.push((await app.inject({ method: 'GET', url })).statusCode);
    return answers;
  };

  beforeAll(async () => {
    app = await startApp(monitor);
  });
  afterAll(async () => app?.close());
  beforeEach(() => {
    monitor.reading = CALM;
  });

  //                                                   sheddable, default, critical, probe, scrape
  it.each<[string, Partial<LoadSignals>, number[]]>([
    ['admits everything when calm', {}, [200, 200, 200, 200, 200]],
    ['sheds sheddable work first as the loop stays busy', { loopBusyMs: 50 }, [503, 200, 200, 200, 200]],
    ['then default work', { loopBusyMs: 100 }, [503, 503, 200, 200, 200]],
    ['and critical work last, never probes or scrapes', { loopBusyMs: 200 }, [503, 503, 503, 200, 200]],
    ['sheds by requests in flight in the same order', { inFlight: 200 }, [503, 503, 200, 200, 200]],
    ['sheds for heap near its limit, never critical work', { heapPercent: 99 }, [503, 503, 200, 200, 200]],
    ['sheds for resident memory near the container limit', { rssPercent: 90 }, [503, 200, 200, 200, 200]],
  ])('%s', async (_case, reading, expected) => {
    expect(await statuses(reading)).toEqual(expected);
  });

  it('answers a shed request with 503 problem+json, Retry-After and the request id', async () => {
    monitor.reading = { ...CALM, loopBusyMs: 60 };
    const shed = await app.inject({ method: 'GET', url: '/test/spin/sheddable?ms=0&email=someone@example.com', headers: { 'x-request-id': 'shed-1' } });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['x-request-id']).toBe('shed-1');
    expect(shed.json()).toMatchObject({ status: 503, code: 'LOAD.SHED', instance: '/test/spin/sheddable', requestId: 'shed-1' });
  });

  it('counts refusals by route template and reason, and shows shedding as active', async () => {
    await statuses({ loopBusyMs: 200 });
    await statuses({ inFlight: 400 });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^load_shed_requests_total\{route="\/test\/spin\/critical",reason="event_loop_busy"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^load_shed_requests_total\{route="\/test\/spin\/critical",reason="in_flight"\} [1-9]\d*$/m);
    // The gauge is sampled every 250 ms: 1 while refusals happened in the last sample, then 0.
    await eventually(async () => /^load_shedding_active 1$/m.test((await app.inject('/metrics')).body));
    await eventually(async () => /^load_shedding_active 0$/m.test((await app.inject('/metrics')).body));
  });

  it('sheds nothing once LOAD_SHEDDING is turned off at runtime', async () => {
    const admin = { 'x-internal-token': ADMIN_TOKEN };
    expect((await app.inject({ method: 'PUT', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin, payload: { enabled: false } })).statusCode).toBe(200);
    try {
      expect(await statuses({ loopBusyMs: 1_000, inFlight: 1_000, heapPercent: 99, rssPercent: 99 })).toEqual([200, 200, 200, 200, 200]);
    } finally {
      await app.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin });
    }
  });
});

describe('load shedding under a flood of refusals (an app of its own: nothing logged before)', () => {
  const monitor = new FixedLoadMonitor();
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp(monitor);
    logs.clear();
  });
  afterAll(async () => app?.close());

  it('logs refusals at most once a second per reason, as warnings with the suppressed count, and no error or request line for them', async () => {
    monitor.reading = { ...CALM, loopBusyMs: 60 };
    const flood = async () => Promise.all(Array.from({ length: 200 }, () => app.inject({ method: 'GET', url: '/test/spin/sheddable?ms=0' })));
    const startedAt = performance.now();
    expect((await flood()).every((response) => response.statusCode === 503)).toBe(true);
    const floodSeconds = (performance.now() - startedAt) / 1_000;
    monitor.reading = { ...CALM, heapPercent: 95 };
    expect((await app.inject({ method: 'GET', url: '/test/spin/sheddable?ms=0' })).statusCode).toBe(503);
    await sleep(1_050);
    monitor.reading = { ...CALM, loopBusyMs: 60 };
    expect((await app.inject({ method: 'GET', url: '/test/spin/sheddable?ms=0' })).statusCode).toBe(503);

    const shedLines = logs.lines.filter((line) => line.context === 'LoadShedding');
    const busyLines = shedLines.filter((line) => line.reason === 'event_loop_busy');
    expect(busyLines.length).toBeGreaterThanOrEqual(2);
    expect(busyLines.length).toBeLessThanOrEqual(Math.ceil(floodSeconds) + 2);
    expect(busyLines.reduce((sum, line) => sum + Number(line.suppressed), 0)).toBe(201 - busyLines.length);
    expect(busyLines.at(-1)?.msg).toMatch(/\(\d+ more since the previous line\)$/);
    expect(shedLines.filter((line) => line.reason === 'heap')).toHaveLength(1);
    expect(shedLines.every((line) => line.level === 40)).toBe(true);
    expect(logs.lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(logs.lines.filter((line) => line.context === 'Request')).toEqual([]);
    expect((await app.inject('/metrics')).body).toMatch(/^load_shed_requests_total\{route="\/test\/spin\/sheddable",reason="event_loop_busy"\} 201$/m);
  });
});
