import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_TOKEN, isolatedRedisPrefix, startGuardedApp } from './helpers/guarded-app';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

/**
 * Sends each request on its own connection, all in one tick, so the server finds them all ready in
 * one turn of its event loop and handles them one after the other, as under a burst of traffic.
 */
async function burst(port: number, paths: string[]): Promise<RawResponse[]> {
  const sockets = await Promise.all(paths.map(() => new Promise<Socket>((resolve) => { const socket = connect(port, '127.0.0.1', () => resolve(socket)); })));
  await sleep(50);
  const responses = sockets.map(readResponse);
  sockets.forEach((socket, index) => socket.write(`GET ${paths[index]} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`));
  return Promise.all(responses);
}

describe('load shedding (sheddable threshold: the loop busy for 150 ms in one turn)', () => {
  let app: NestFastifyApplication;
  let port: number;
  // Turn age when each is read: 0-10 ms, 80, 160 (≥ 150: sheddable refused), 160 (< 600: critical
  // runs 500 ms), then 660+: probes and /metrics still answer, even critical work is refused.
  const slowBurst = [
    '/test/spin/sheddable?ms=80',
    '/test/spin/sheddable?ms=80',
    '/test/spin/sheddable?ms=1',
    '/test/spin/critical?ms=500',
    '/health/live',
    '/metrics',
    '/test/spin/critical?ms=1',
    '/test/spin/sheddable?ms=1',
  ];

  beforeAll(async () => {
    app = await startGuardedApp({ LOAD_SHEDDING: 'true', LOAD_SHEDDING_LOOP_DELAY_MS: '150', REDIS_KEY_PREFIX: isolatedRedisPrefix() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses sheddable work late in a long turn, but never probes or scrapes, and critical work last', async () => {
    const answers = await burst(port, slowBurst);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 503, 200, 200, 200, 503, 503]);
    const shed = answers[2] as RawResponse;
    expect(shed.headers['retry-after']).toBe('1');
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['x-request-id']).toEqual(expect.any(String));
    expect(JSON.parse(shed.body)).toMatchObject({ status: 503, code: 'LOAD.SHED', instance: '/test/spin/sheddable' });
  });

  it('counts refusals by route template and reason, and shows shedding as active', async () => {
    await burst(port, slowBurst);
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^load_shed_requests_total\{route="\/test\/spin\/sheddable",reason="event_loop_busy"\} [2-9]\d*$/m);
    expect(metrics).toMatch(/^load_shed_requests_total\{route="\/test\/spin\/critical",reason="event_loop_busy"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^load_shedding_active 1$/m);
    await sleep(600);
    expect((await app.inject('/metrics')).body).toMatch(/^load_shedding_active 0$/m);
  });

  it('sheds nothing once LOAD_SHEDDING is turned off at runtime', async () => {
    const admin = { 'x-internal-token': ADMIN_TOKEN };
    expect((await app.inject({ method: 'PUT', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin, payload: { enabled: false } })).statusCode).toBe(200);
    try {
      expect((await burst(port, slowBurst)).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    } finally {
      await app.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin });
    }
  });
});
