import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmokeCheckFailure } from './smoke-check';
import { SmokeClient } from './smoke-client';
import { LATENCY_SLO_MS, runSmokeChecks } from './smoke-runner';

describe('runSmokeChecks', () => {
  let server: Server;
  let client: SmokeClient;
  beforeAll(async () => {
    // /slow answers after the SLO, /hang never: what a struggling service looks like from outside.
    server = createServer((request, response) => {
      if (request.url === '/hang') return;
      setTimeout(() => response.end('ok'), request.url === '/slow' ? LATENCY_SLO_MS + 50 : 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new SmokeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'token', 1_000);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const calling = (name: string, path: string) => ({ name, run: async (c: SmokeClient) => (await c.call(path)).body });

  it('passes a check that answers in time, with its latency', async () => {
    const [result] = await runSmokeChecks([calling('fast', '/fast')], client);
    expect(result).toEqual({ name: 'fast', passed: true, detail: 'ok', latencyMs: expect.any(Number) });
    expect(result?.latencyMs).toBeLessThan(LATENCY_SLO_MS);
  });

  it('fails a check whose slowest call misses the 500 ms SLO, though its answer was right', async () => {
    const [result] = await runSmokeChecks([{ name: 'mixed', run: async (c) => ((await c.call('/fast')).body, (await c.call('/slow')).body) }], client);
    expect(result).toMatchObject({ name: 'mixed', passed: false, detail: expect.stringMatching(/^ok; took \d+ ms, over the 500 ms p99 SLO$/) });
    expect(result?.latencyMs).toBeGreaterThanOrEqual(LATENCY_SLO_MS);
  });

  it('records failures and unanswered calls, and runs every check after them', async () => {
    const results = await runSmokeChecks([
      { name: 'wrong', run: async () => Promise.reject(new SmokeCheckFailure('answered 503')) },
      calling('hangs', '/hang'),
      calling('fast', '/fast'),
    ], client);
    expect(results.map(({ name, passed, detail }) => ({ name, passed, detail }))).toEqual([
      { name: 'wrong', passed: false, detail: 'answered 503' },
      { name: 'hangs', passed: false, detail: 'GET /hang: no answer within 1000 ms' },
      { name: 'fast', passed: true, detail: 'ok' },
    ]);
  });
});
