/**
 * `npm run bench:metrics`: throughput of a tiny Nest + Fastify route with the service's HTTP metrics
 * (hooks and default metrics) on, as a ratio of the same app with metrics off; and, for reference,
 * the same hooks on prom-client's Histogram and Counter. The servers are pinned to one core and
 * each pair is loaded at the same time, so the scheduler splits that core between the two and each
 * one's share of requests reflects its cost per request; noise from other processes hits both
 * alike. Ratios are medians over the rounds. Target: on / off ≥ 0.95.
 */
import { type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { quickOr, writeBenchReport } from './bench-report';
import { freePort, median, startPinned, table, waitForHttp } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? quickOr(4, 1));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? quickOr(5, 2));
const TARGET = 0.95;
const CONNECTIONS = 25;
/** Pipelining keeps the server core busy: without it autocannon, not the server, sets the pace here. */
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 10);
const SERVER = ['-r', 'ts-node/register/transpile-only', 'bench/metrics-overhead-server.ts'];
const MODES = ['off', 'on', 'prom-client'] as const;
type Mode = (typeof MODES)[number];

async function main(): Promise<void> {
  const urls = {} as Record<Mode, string>;
  const children: ChildProcess[] = [];
  try {
    for (const mode of MODES) {
      const port = await freePort();
      children.push(startPinned([...SERVER, mode], { ...process.env, PORT: String(port) }));
      urls[mode] = `http://127.0.0.1:${port}/api/v1/venues/v-42`;
    }
    // ts-node compiles each server on start: on a busy machine that alone can take half a minute.
    await Promise.all(MODES.map((mode) => waitForHttp(urls[mode], 90_000)));
    // Warm up the JIT of every server before measuring.
    await Promise.all(MODES.map((mode) => load(urls[mode], 2)));

    const rows: Array<Record<string, string | number>> = [];
    const ratios: Record<'on' | 'prom-client', number[]> = { on: [], 'prom-client': [] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      const row: Record<string, string | number> = { round };
      for (const mode of ['on', 'prom-client'] as const) {
        const [off, measured] = await Promise.all([load(urls.off, SECONDS), load(urls[mode], SECONDS)]);
        ratios[mode].push(measured / off);
        Object.assign(row, { [`off req/s (vs ${mode})`]: Math.round(off), [`${mode} req/s`]: Math.round(measured), [`${mode} / off`]: (measured / off).toFixed(3) });
      }
      rows.push(row);
    }
    const [on, reference] = [median(ratios.on), median(ratios['prom-client'])];
    process.stdout.write(`\nTiny route GET /api/v1/venues/:venueId: ${ROUNDS} rounds of ${SECONDS} s per pair, each pair loaded at once (${CONNECTIONS} connections each, pipelining ${PIPELINING}), servers pinned to one core\n\n`);
    process.stdout.write(`${table(rows)}\n\n`);
    process.stdout.write(`metrics on / off throughput (median): ${on.toFixed(3)} (target >= ${TARGET}) ${on >= TARGET ? 'OK' : 'BELOW TARGET'}\n`);
    process.stdout.write(`reference, prom-client Histogram + Counter / off (median): ${reference.toFixed(3)}\n`);
    const requestsPerSecond = (mode: Mode, against: 'on' | 'prom-client') => median(rows.map((row) => Number(row[mode === 'off' ? `off req/s (vs ${against})` : `${mode} req/s`])));
    writeBenchReport({
      bench: 'metrics-overhead',
      method: `tiny Nest + Fastify route; servers pinned to one core; after a warm-up, ${ROUNDS} rounds in which each pair (metrics off and on) is loaded at the same time for ${SECONDS} s (${CONNECTIONS} connections each, pipelining ${PIPELINING}), so both share that core; ratio = median of per-round ratios`,
      figures: [
        { name: 'throughput with HTTP metrics on (hooks + default metrics)', value: Math.round(requestsPerSecond('on', 'on')), unit: 'req/s', baseline: Math.round(requestsPerSecond('off', 'on')), ratio: Number(on.toFixed(3)), target: `>= ${TARGET}`, met: on >= TARGET, ...(on >= TARGET ? {} : { note: `prom-client's own Histogram + Counter in the same hooks: ${reference.toFixed(3)} of off` }) },
        { name: "reference: the same hooks on prom-client's Histogram + Counter", value: Math.round(requestsPerSecond('prom-client', 'prom-client')), unit: 'req/s', baseline: Math.round(requestsPerSecond('off', 'prom-client')), ratio: Number(reference.toFixed(3)) },
      ],
    });
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}

/** Requests per second a closed loop got; throws when any request failed. */
async function load(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, pipelining: PIPELINING, duration: seconds });
  if (result.non2xx + result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
