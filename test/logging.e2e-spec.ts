import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { LoggingProbeModule } from './fixtures/logging-probe.module';
import { setTimeout as sleep } from 'node:timers/promises';
import { CapturedLogs } from './helpers/captured-logs';
import { freePort } from './helpers/free-port';
import { startOverridableApp } from './helpers/overridable-app';
import { ServiceProcess } from './helpers/service-process';
import { TEST_SECRETS } from './helpers/test-app';

const marker = (name: string) => `${name}-${randomBytes(6).toString('hex')}`;

/** nestjs-pino keeps the first app's logger for the process: every app in this file logs here. */
const logs = new CapturedLogs();

describe('what the app logs (real logger, lines captured)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startOverridableApp({ imports: [LoggingProbeModule], logs });
  });
  afterAll(async () => app?.close());
  beforeEach(() => logs.clear());

  it('logs a failed query with class, SQLSTATE, constraint and table, and never the bound value', async () => {
    const value = marker('duplicate-key@example.com');
    const response = await app.inject({ method: 'POST', url: `/test/logging/duplicate-setting?key=${encodeURIComponent(value)}`, headers: { 'x-request-id': 'dup-1' } });
    expect(response.statusCode).toBe(500);
    expect(logs.text).not.toContain(value);
    expect(response.body).not.toContain(value);
    const unhandled = logs.lines.filter((line) => line.msg?.startsWith('Unhandled error'));
    expect(unhandled).toEqual([
      expect.objectContaining({
        level: 50,
        requestId: 'dup-1',
        context: 'ProblemDetailsFilter',
        error: expect.objectContaining({
          type: 'QueryFailedError',
          code: '23505',
          message: 'unique_violation',
          constraint: 'app_settings_pkey',
          table: 'app_settings',
          stack: expect.stringMatching(/^QueryFailedError: unique_violation\n\s+at /),
        }),
      }),
    ]);
  });

  it('redacts secrets wherever they sit in a logged object, 1 to 4 levels deep', async () => {
    const secrets = Object.fromEntries(
      ['authorization', 'cookie', 'internal', 'stripe', 'hub', 'password', 'secret', 'token', 'ein', 'tin'].map((name) => [name, marker(name)]),
    );
    const response = await app.inject({
      method: 'POST',
      url: '/test/logging/nested',
      headers: {
        authorization: `Bearer ${secrets.authorization}`,
        cookie: `session=${secrets.cookie}`,
        'x-internal-token': secrets.internal,
        'stripe-signature': `t=1,v1=${secrets.stripe}`,
        'x-hub-signature': secrets.hub,
      },
      payload: { password: secrets.password, venue: { secret: secrets.secret, owner: { token: secrets.token, tax: { ein: secrets.ein, tin: secrets.tin } } } },
    });
    expect(response.statusCode).toBe(201);
    const probeLines = logs.lines.filter((line) => line.context === 'LoggingProbe');
    expect(probeLines.map((line) => line.msg)).toEqual(['depth 1', 'depth 2', 'depth 3', 'depth 4']);
    expect(probeLines[3]).toMatchObject({ job: { attempt: { call: { request: { headers: { authorization: '[redacted]', 'content-type': 'application/json' } } } } } });
    for (const secret of Object.values(secrets)) expect(logs.text).not.toContain(secret);
  });
});

describe('Redis reconnect errors', () => {
  it('are counted each time but logged at most once a second, with the suppressed count', async () => {
    logs.clear();
    const startedAt = performance.now();
    const app = await startOverridableApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` }, logs });
    try {
      await sleep(1_500);
      const seconds = (performance.now() - startedAt) / 1_000;
      const errorLines = logs.lines.filter((line) => line.context === 'Redis' && line.msg?.startsWith('Redis connection error'));
      const counted = Number(/^redis_connection_errors_total (\d+)$/m.exec((await app.inject('/metrics')).body)?.[1]);
      expect(errorLines.length).toBeGreaterThanOrEqual(2);
      expect(errorLines.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(counted).toBeGreaterThan(errorLines.length);
      expect(errorLines.every((line) => line.level === 40 && line.code === 'ECONNREFUSED')).toBe(true);
      expect(Number(errorLines.at(-1)?.suppressed)).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe('request lines of the service as deployed (node dist/index.js)', () => {
  it('writes one JSON line per request with its id and route, without query string, configured secrets or probe noise', async () => {
    const { service, base } = await ServiceProcess.startOnTestDatabase({ SHUTDOWN_DRAIN_MS: '0' });
    try {
      for (let probe = 0; probe < 5; probe += 1) await fetch(`${base}/health/live`);
      await fetch(`${base}/metrics`);
      await fetch(`${base}/admin/flags?email=someone@example.com`, { headers: { 'x-request-id': 'log-test-1' } });
      await new Promise((done) => setTimeout(done, 200));
    } finally {
      service.kill('SIGTERM');
      await service.exited;
    }
    const lines = service.output.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line.context === 'Request');
    expect(requests).toEqual([
      expect.objectContaining({ requestId: 'log-test-1', method: 'GET', route: '/admin/flags', path: '/admin/flags', statusCode: 401, service: 'compliance-service', level: 30 }),
    ]);
    const everything = service.output.join('');
    expect(everything).not.toContain('someone@example.com');
    expect(everything).not.toContain(TEST_SECRETS.JWT_SECRET);
  }, 30_000);
});
