import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auditRows, migratedScratchDatabase, queryDatabase, storedOverrides } from './helpers/flag-store';
import { ADMIN_TOKEN, startGuardedApp } from './helpers/guarded-app';
import { ServiceProcess } from './helpers/service-process';
import { TcpProxy } from './helpers/tcp-proxy';

const admin = { 'x-internal-token': ADMIN_TOKEN };

/** What a trigger puts into the driver's error message: stands for the values a real message can quote. */
const VALUE_IN_MESSAGE = 'value-from-the-row-7f3a';

describe('flag admin API when the store fails', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await migratedScratchDatabase('flagerr');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('answers 503 when PostgreSQL is unreachable, without the driver’s message', async () => {
    const upstream = new URL(database.url);
    const proxy = await TcpProxy.start(upstream.hostname, Number(upstream.port || 5432));
    const throughProxy = new URL(database.url);
    throughProxy.host = proxy.address;
    let app: NestFastifyApplication | undefined;
    try {
      app = await startGuardedApp({ DATABASE_URL: throughProxy.toString(), REDIS_URL: undefined });
      await proxy.cut();
      const answer = await app.inject({ method: 'PUT', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin, payload: { enabled: true } });
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toMatchObject({ status: 503, code: 'FLAG.STORE_UNAVAILABLE' });
      expect(answer.body).not.toMatch(/ECONN|127\.0\.0\.1|terminated|timeout/i);
    } finally {
      await proxy.stop();
      await app?.close();
    }
  });

  it('answers 500 for any other failure, logging its class and code but never the message', async () => {
    await queryDatabase(database.url, `
      CREATE FUNCTION refuse_flag_override() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused %', '${VALUE_IN_MESSAGE}' USING ERRCODE = '23514'; END $$`);
    await queryDatabase(database.url, 'CREATE TRIGGER refuse_flag_override BEFORE INSERT ON feature_flag_overrides FOR EACH ROW EXECUTE FUNCTION refuse_flag_override()');
    const { service, base } = await ServiceProcess.startOnTestDatabase({ DATABASE_URL: database.url, REDIS_URL: undefined, ADMIN_API_TOKEN: ADMIN_TOKEN, SHUTDOWN_DRAIN_MS: '0' });
    let answer: { status: number; body: string };
    try {
      const response = await fetch(`${base}/admin/flags/LOAD_SHEDDING/override`, {
        method: 'PUT',
        headers: { ...admin, 'content-type': 'application/json', 'x-request-id': 'store-failed-1' },
        body: JSON.stringify({ enabled: false }),
      });
      answer = { status: response.status, body: await response.text() };
      await new Promise((done) => setTimeout(done, 200));
    } finally {
      service.kill('SIGTERM');
      await service.exited;
    }
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 500, code: 'FLAG.STORE_FAILED', requestId: 'store-failed-1' });
    expect(answer.body).not.toContain(VALUE_IN_MESSAGE);
    const lines = service.output.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const cause = lines.filter((line) => line.context === 'FeatureFlags' && line.msg === 'Feature flag override write failed');
    expect(cause).toEqual([expect.objectContaining({ errorClass: 'QueryFailedError', code: '23514', requestId: 'store-failed-1' })]);
    expect(JSON.stringify(cause)).not.toContain(VALUE_IN_MESSAGE);
    const filterLine = lines.find((line) => line.requestId === 'store-failed-1' && line.context === 'ProblemDetailsFilter');
    expect(JSON.stringify(filterLine)).not.toContain(VALUE_IN_MESSAGE);
    expect(await storedOverrides(database.url)).toEqual([]);
    expect(await auditRows(database.url, 'store-failed-1')).toEqual([]);
  });
});
