import { get } from 'node:http';
import { join } from 'node:path';
import { ROOT } from './helpers/cli';
import { ServiceProcess } from './helpers/service-process';
import { requireEnv, withAdmin } from './helpers/test-database';

const DRAIN_MS = 3_000;

/** One request on a brand-new TCP connection (no keep-alive), as a newly arriving client makes. */
function freshConnectionStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

const startService = () => ServiceProcess.startOnTestDatabase({ SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });

describe('graceful shutdown on SIGTERM', () => {
  it('ignores a duplicate signal within a second, and exits 1 at once on a later second SIGTERM during the drain', async () => {
    const { service } = await startService();
    const startedAt = Date.now();
    service.kill('SIGTERM');
    await new Promise((done) => setTimeout(done, 100));
    service.kill('SIGTERM'); // within a second: a duplicate delivery (npm forwarding Ctrl-C), ignored
    await new Promise((done) => setTimeout(done, 1_100));
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - startedAt).toBeLessThan(DRAIN_MS);
    expect(service.output.join('')).toContain('Second SIGTERM during shutdown: exiting now');
  });

  it('fails no request of a client that stops once readiness turns 503, refuses no connection during the drain, and exits 0', async () => {
    const { service, base } = await startService();

    let sendTraffic = true;
    const outcomes = { ok: 0, failed: [] as string[] };
    // Steady keep-alive load from four clients, the way other services call us.
    const clients = Array.from({ length: 4 }, async () => {
      while (sendTraffic) {
        try {
          const response = await fetch(`${base}/health/live`);
          await response.arrayBuffer();
          if (response.status === 200) outcomes.ok += 1;
          else outcomes.failed.push(`HTTP ${response.status}`);
        } catch (error) {
          outcomes.failed.push(String((error as Error).cause ?? error));
        }
      }
    });
    // The endpoints controller: stops routing to the pod once readiness fails.
    const watcher = (async () => {
      while (sendTraffic) {
        const status = await fetch(`${base}/health/ready`).then((response) => response.status, () => 0);
        if (status === 503) sendTraffic = false;
        else await new Promise((done) => setTimeout(done, 100));
      }
    })();

    await new Promise((done) => setTimeout(done, 500));
    const signalledAt = Date.now();
    service.kill('SIGTERM');
    const fresh: number[] = [];
    while (Date.now() - signalledAt < DRAIN_MS - 300) {
      fresh.push(await freshConnectionStatus(`${base}/health/live`).catch(() => 0));
      await new Promise((done) => setTimeout(done, 100));
    }
    await Promise.all([...clients, watcher]);
    const exit = await service.exited;

    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(50);
    expect(fresh.length).toBeGreaterThan(5);
    expect(fresh.every((status) => status === 200)).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
    const log = service.output.join('');
    for (const phase of ['readiness now answers 503 shutting_down', `Draining for ${DRAIN_MS} ms`, 'Closing the HTTP server', 'Shutdown complete']) {
      expect(log).toContain(phase);
    }
  }, 30_000);

  it('finishes a slow request and a database query in flight when the server closes, refuses nothing meanwhile, and exits 0', async () => {
    const drainMs = 1_000;
    const workMs = 3_000;
    // src/index.ts's app and shutdown sequence plus slow routes (test/fixtures/slow-routes.service.ts).
    const { service, base } = await ServiceProcess.startOnTestDatabase({ SHUTDOWN_DRAIN_MS: String(drainMs) }, [
      '-r',
      'ts-node/register/transpile-only',
      join(ROOT, 'test', 'fixtures', 'slow-routes.service.ts'),
    ]);
    const finished = (response: Promise<Response>) => response.then(async (answer) => ({ status: answer.status, body: (await answer.json()) as unknown, at: Date.now() }));
    const slowHandler = finished(fetch(`${base}/test/slow/handler?ms=${workMs}`));
    const slowQuery = finished(fetch(`${base}/test/slow/query?ms=${workMs}`));
    await untilQueryRuns('pg_sleep');

    const signalledAt = Date.now();
    service.kill('SIGTERM');
    const duringShutdown: number[] = [];
    while (Date.now() - signalledAt < drainMs - 200) {
      duringShutdown.push(await freshConnectionStatus(`${base}/test/slow/handler?ms=1`).catch(() => 0));
      await new Promise((done) => setTimeout(done, 100));
    }
    const [handler, query] = await Promise.all([slowHandler, slowQuery]);
    const exit = await service.exited;

    expect(handler).toMatchObject({ status: 200, body: { waitedMs: workMs } });
    expect(query).toMatchObject({ status: 200, body: { slept: true } });
    // Both were still running when the drain ended and the server began to close.
    expect(Math.min(handler.at, query.at)).toBeGreaterThan(signalledAt + drainMs);
    expect(duringShutdown.length).toBeGreaterThan(3);
    expect(duringShutdown.every((status) => status === 200)).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
    const log = service.output.join('');
    expect(log.indexOf('Closing the HTTP server')).toBeLessThan(log.indexOf('Shutdown complete'));
  }, 60_000);
});

/** Waits until PostgreSQL runs a query of the service whose text contains `fragment`. */
async function untilQueryRuns(fragment: string): Promise<void> {
  const startedAt = Date.now();
  for (;;) {
    const { rows } = await withAdmin(requireEnv('TEST_ADMIN_DATABASE_URL'), (client) =>
      client.query<{ running: number }>(
        `SELECT count(*)::int AS running FROM pg_stat_activity WHERE application_name = 'compliance-service' AND state = 'active' AND query LIKE $1`,
        [`%${fragment}%`],
      ),
    );
    if ((rows[0]?.running ?? 0) > 0) return;
    if (Date.now() - startedAt > 5_000) throw new Error(`no running query containing ${fragment}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
