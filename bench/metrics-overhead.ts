/**
 * `npm run bench:metrics`: throughput of a tiny Nest + Fastify route with the service's HTTP metrics
 * hooks and default metrics on, as a ratio of the same app with metrics off. Both servers are
 * pinned to the same core and loaded at the same time, so the scheduler splits that core between
 * them and each one's share of requests reflects its cost per request; noise from other processes
 * hits both alike. The ratio is the median of several rounds. Target: ratio ≥ 0.95.
 */
import { type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, startPinned, table, waitForHttp } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET = 0.95;
const CONNECTIONS = 25;
/** Pipelining keeps the server core busy: without it autocannon, not the server, sets the pace here. */
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 10);
const SERVER = ['-r', 'ts-node/register/transpile-only', 'bench/metrics-overhead-server.ts'];

async function main(): Promise<void> {
  const ports = { off: await freePort(), on: await freePort() };
  const children: ChildProcess[] = [];
  try {
    for (const mode of ['off', 'on'] as const) {
      children.push(startPinned([...SERVER, mode], { ...process.env, PORT: String(ports[mode]) }));
    }
    const url = (mode: 'off' | 'on') => `http://127.0.0.1:${ports[mode]}/api/v1/venues/v-42`;
    await Promise.all([waitForHttp(url('off')), waitForHttp(url('on'))]);
    // Warm up the JIT of both before measuring.
    await Promise.all([load(url('off'), 2), load(url('on'), 2)]);

    const rows: Array<Record<string, string | number>> = [];
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const [off, on] = await Promise.all([load(url('off'), SECONDS), load(url('on'), SECONDS)]);
      if (off.failed + on.failed > 0) throw new Error(`round ${round}: requests failed`);
      ratios.push(on.requestsPerSecond / off.requestsPerSecond);
      rows.push({ round, 'off req/s': Math.round(off.requestsPerSecond), 'on req/s': Math.round(on.requestsPerSecond), ratio: (on.requestsPerSecond / off.requestsPerSecond).toFixed(3) });
    }
    const ratio = median(ratios);
    process.stdout.write(`\nTiny route GET /api/v1/venues/:venueId: ${ROUNDS} rounds of ${SECONDS} s, both servers loaded at once (${CONNECTIONS} connections each, pipelining ${PIPELINING}), pinned to one core\n\n`);
    process.stdout.write(`${table(rows)}\n\n`);
    process.stdout.write(`metrics on / off throughput (median): ${ratio.toFixed(3)} (target >= ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}\n`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

async function load(url: string, seconds: number): Promise<{ requestsPerSecond: number; failed: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, pipelining: PIPELINING, duration: seconds });
  return { requestsPerSecond: result.requests.average, failed: result.non2xx + result.errors };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
