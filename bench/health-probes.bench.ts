/**
 * `npm run bench:health`: /health/live and /health/ready throughput as ratios of a raw node:http
 * JSON server, measured in one run on this machine (each server pinned to the same core), and
 * the database pings per second that readiness caused. Targets: live ≥ 0.70, ready ≥ 0.50,
 * at most one database ping per HEALTH_CHECK_INTERVAL_MS at any probe rate.
 */
import { withAdmin } from '../test/helpers/test-database';
import { closedLoop, freePort, type LoadResult, isolateServerCore, migrateDatabase, PRODUCTION_SECRETS, startPinned, table, waitForHttp } from './bench-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds interleave the three servers, so drifting background load hits them alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Database checks readiness has run so far, from the service's own /metrics. */
async function databaseChecks(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('health_check_duration_seconds_count{component="database"}'));
  return Number(line?.split(' ').pop() ?? 0);
}

async function main(): Promise<void> {
  const name = `compliance_bench_${Date.now().toString(36)}`;
  await withAdmin(ADMIN_URL, (client) => client.query(`CREATE DATABASE "${name}"`));
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${name}`;
  const [rawPort, appPort] = [await freePort(), await freePort()];
  const children = [];
  try {
    migrateDatabase(databaseUrl.toString());
    children.push(startPinned(['bench/raw-json-server.js'], { ...process.env, PORT: String(rawPort) }));
    children.push(
      startPinned(['dist/index.js'], {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(appPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL,
        ...PRODUCTION_SECRETS,
      }),
    );
    await waitForHttp(`http://127.0.0.1:${rawPort}/`);
    await waitForHttp(`http://127.0.0.1:${appPort}/health/ready`);
    await closedLoop(`http://127.0.0.1:${appPort}/health/live`, 2); // warm up the JIT
    await isolateServerCore(ADMIN_URL, name);

    const rounds: Array<Record<'raw' | 'live' | 'ready', LoadResult>> = [];
    let pings = 0;
    let readySeconds = 0;
    let probes = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const raw = await closedLoop(`http://127.0.0.1:${rawPort}/`, SECONDS);
      const live = await closedLoop(`http://127.0.0.1:${appPort}/health/live`, SECONDS);
      const before = await databaseChecks(`http://127.0.0.1:${appPort}`);
      const startedAt = performance.now();
      const ready = await closedLoop(`http://127.0.0.1:${appPort}/health/ready`, SECONDS);
      const seconds = (performance.now() - startedAt) / 1000;
      readySeconds += seconds;
      probes += Math.round(ready.requestsPerSecond * seconds);
      pings += (await databaseChecks(`http://127.0.0.1:${appPort}`)) - before;
      rounds.push({ raw, live, ready });
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const row = (endpoint: string, pick: (round: (typeof rounds)[number]) => { requestsPerSecond: number; p99Ms: number; non2xx: number }, target: string) => ({
      endpoint,
      'req/s (median)': Math.round(median(rounds.map((round) => pick(round).requestsPerSecond))),
      'ratio (median of rounds)': median(rounds.map((round) => pick(round).requestsPerSecond / round.raw.requestsPerSecond)).toFixed(2),
      'p99 ms': median(rounds.map((round) => pick(round).p99Ms)),
      'non-2xx': rounds.reduce((sum, round) => sum + pick(round).non2xx, 0),
      target,
    });

    process.stdout.write(`\nHealth probes: ${ROUNDS} rounds of ${SECONDS} s per server, 50 connections, servers on core 1, load generator and database on core 0\n\n`);
    process.stdout.write(
      `${table([
        row('raw node:http JSON', (round) => round.raw, ''),
        row('/health/live', (round) => round.live, '>= 0.70'),
        row('/health/ready', (round) => round.ready, '>= 0.50'),
      ])}\n\n`,
    );
    process.stdout.write(`Readiness: ${probes} probes caused ${pings} database pings in ${readySeconds.toFixed(1)} s = ${(pings / readySeconds).toFixed(2)} pings/s (target <= 1 per HEALTH_CHECK_INTERVAL_MS = 1 s; counted by health_check_duration_seconds_count)\n`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await new Promise((done) => setTimeout(done, 300));
    await withAdmin(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
