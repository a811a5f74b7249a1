import { get } from 'node:http';
import { ServiceProcess } from './helpers/service-process';

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
});
