import { type AddressInfo, connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestIdFor } from '../common/request-id';
import { HttpMetricsRecorder } from '../metrics/http-metrics.recorder';
import { RequestDurationHistogram } from '../metrics/request-duration.histogram';
import { installLivenessFastPath } from './liveness.fast-path';

/** Everything a socket received until it closed (by the server, or after 5 s of silence by us). */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('liveness fast path', () => {
  let fastify: FastifyInstance;
  let histogram: RequestDurationHistogram;
  let recorder: HttpMetricsRecorder;
  let base: string;
  /** Requests that reached Fastify's hooks. */
  let reachedFastify: string[];
  let releaseSlow: () => void;
  let slowEntered: Promise<void>;

  beforeEach(async () => {
    fastify = Fastify({ genReqId: requestIdFor });
    reachedFastify = [];
    fastify.addHook('onRequest', (request, _reply, done) => {
      reachedFastify.push(`${request.method} ${request.url}`);
      done();
    });
    fastify.get('/health/live', async () => ({ answeredBy: 'fastify' }));
    let entered: () => void = () => undefined;
    slowEntered = new Promise((resolve) => (entered = resolve));
    const released = new Promise<void>((resolve) => (releaseSlow = resolve));
    fastify.get('/slow', async () => {
      entered();
      await released;
      return { slow: true };
    });
    histogram = new RequestDurationHistogram();
    recorder = new HttpMetricsRecorder(histogram);
    installLivenessFastPath(fastify, recorder, '2.5.1');
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    releaseSlow();
    await fastify.close();
  });

  it('answers GET /health/live before Fastify, with the guide body, no-store and the request id kept or made', async () => {
    const kept = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'trace-42' } });
    const made = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });

    expect(reachedFastify).toEqual([]);
    expect(kept.status).toBe(200);
    expect(kept.headers.get('cache-control')).toBe('no-store');
    expect(kept.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(kept.headers.get('x-request-id')).toBe('trace-42');
    const body = (await kept.json()) as { status: string; timestamp: string };
    expect(body).toEqual({ status: 'healthy', timestamp: expect.any(String) });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('speaks application/health+json when asked', async () => {
    const response = await fetch(`${base}/health/live`, { headers: { accept: 'application/health+json' } });

    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(await response.json()).toEqual({ status: 'pass', version: '2', releaseId: '2.5.1', serviceId: 'compliance-service' });
  });

  it('counts each probe in the HTTP metrics under the route template, as the hooks count the route', async () => {
    for (let probe = 0; probe < 3; probe += 1) await (await fetch(`${base}/health/live`)).arrayBuffer();

    const counts = [...histogram.counts()].map(({ labels, count }) => ({ ...labels, count }));
    expect(counts).toEqual([{ method: 'GET', route: '/health/live', status_code: '200', count: 3 }]);
    expect(recorder.inFlight).toBe(0);
  });

  it('leaves HEAD, a query string and every other path to Fastify', async () => {
    const head = await fetch(`${base}/health/live`, { method: 'HEAD' });
    const query = await fetch(`${base}/health/live?verbose=1`);
    const other = await fetch(`${base}/health/livez`);

    expect(head.status).toBe(200);
    expect(await query.json()).toEqual({ answeredBy: 'fastify' });
    expect(other.status).toBe(404);
    expect(reachedFastify).toEqual(['HEAD /health/live', 'GET /health/live?verbose=1', 'GET /health/livez']);
  });

  it('ends the keep-alive connection of a probe that arrives once the server is closing', async () => {
    const socket = connect((fastify.server.address() as AddressInfo).port, '127.0.0.1');
    const received = readAll(socket);
    socket.write('GET /slow HTTP/1.1\r\nHost: test\r\n\r\n');
    await slowEntered;
    // The slow request keeps its connection open through the close; a probe follows on it.
    const closed = fastify.close();
    while (fastify.server.listening) await sleep(10); // preClose has run
    socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n');
    releaseSlow();

    const responses = (await received).split(/(?=HTTP\/1\.1 )/);
    await closed;
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"slow":true/);
    expect(responses[1]).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(responses[1]?.toLowerCase()).toContain('\r\nconnection: close\r\n');
  });
});
