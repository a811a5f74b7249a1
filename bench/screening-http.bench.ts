/**
 * Sanctions screening over HTTP, the full SDN list loaded: latency at 500 screenings/s and the
 * throughput of 8 callers without pause, with a service token, a batch of 1,000 names, and the memory the loaded list adds.
 * Beside them the CPU time each screening costs the server and its PostgreSQL backends, read from
 * /proc: the figure other processes on the shared cores distort least, unlike latency and throughput.
 *
 *   npm run bench:screening            (needs PostgreSQL and the SDN snapshot at ../shared/data/ofac)
 *
 * Env: TEST_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
 * REDIS_URL (default redis://127.0.0.1:6379; BENCH_REDIS=off to run without), SANCTIONS_OFAC_DIR,
 * BENCH_LATENCY_SECONDS (60; 3 under BENCH_QUICK=1: long enough to hold several major GCs, which a
 * shorter window can miss), BENCH_SECONDS (15, the unpaced run), BENCH_RATE (500), BENCH_JSON (write the figures there,
 * bench/bench-report.ts). The server is pinned to core 1 (taskset). Names are unique
 * per request (list names with typos, and made-up names), so the Redis cache does not flatter it.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { mintToken } from '../src/auth/token-minter';
import { SanctionsListRepository } from '../src/modules/sanctions/lists/sanctions-list.repository';
import { SanctionsNameIndex } from '../src/modules/sanctions/matching/sanctions-name.index';
import { SanctionsMatcher } from '../src/modules/sanctions/matching/sanctions.matcher';
import { type BenchFigure, quickOr, writeBenchReport } from './bench-report';
import { ADMIN_URL, freePort, isolateServerCore, migrateDatabase, ROOT, rssBytesOf, SERVICE_ARGS, startPinned, table, waitForHttp, withScratchDatabase } from './bench-support';
import { pacedCallers, quantile } from './paced-callers';
import { processCpuNanoseconds } from './server-cpu';

const REDIS_URL = process.env.BENCH_REDIS === 'off' ? undefined : (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const OFAC_DIR = resolve(process.env.SANCTIONS_OFAC_DIR ?? join(ROOT, '..', 'shared', 'data', 'ofac'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? quickOr(15, 3));
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? quickOr(60, 3));
const WARM_UP_SECONDS = quickOr(5, 1);
/** The rate the latency target is stated at. */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Issue 11's targets, and the CPU budgets they imply here: at 500/s the server's core (core 1) is
 * busy ≤ 60 % at ≤ 1.2 ms a screening, where queueing still leaves a p50 near 3 ms; PostgreSQL,
 * Redis and the load generator share the other core, PostgreSQL getting at most half of it.
 */
const TARGET = { p50Ms: 3, p99Ms: 25, perSecond: 500, serverCpuMs: 1.2, postgresCpuMs: 1, batchMs: 2_000, listMb: 60, importMs: 10_000 };

const FIRST = ['John', 'Maria', 'Ahmed', 'Olivia', 'Chen', 'Ivan', 'Fatima', 'Carlos', 'Aisha', 'Peter', 'Yuki', 'Omar'];
const LAST = ['Smith', 'Garcia', 'Hassan', 'Fontaine', 'Wang', 'Petrov', 'Rahman', 'Silva', 'Okafor', 'Muller', 'Tanaka', 'Haddad'];

/** Listed names with one letter changed, then made-up names: mostly misses, some hits, all distinct. */
function queryNames(listNames: string[], count: number): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    if (i % 4 === 0) {
      const listed = listNames[(i * 7919) % listNames.length] as string;
      const at = i % Math.max(1, listed.length);
      names.push(`${listed.slice(0, at)}${listed[at] === 'A' ? 'E' : 'A'}${listed.slice(at + 1)} ${i}`);
    } else {
      names.push(`${FIRST[i % FIRST.length]} ${LAST[(i * 5) % LAST.length]} ${i.toString(36)}`);
    }
  }
  return names;
}

/** Milliseconds of CPU per screening. */
interface CpuPerScreening {
  server: number;
  /** The backends connected to the bench's database: the app's pool, pg-boss's, the list poller. */
  postgres: number;
  /** This process (autocannon), for the budget of the other core. */
  generator: number;
}

/** CPU that the server, its PostgreSQL backends and this process spend per request while `work` runs. */
async function cpuPerRequest<T>(serverPid: number, admin: Client, databaseName: string, work: () => Promise<T>, requestsOf: (result: T) => number): Promise<{ result: T; cpu: CpuPerScreening }> {
  const backends = async () => (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [databaseName])).rows.map((row) => row.pid);
  const cpuOf = (pid: number): number => {
    try {
      return processCpuNanoseconds(pid);
    } catch {
      return 0; // a backend that ended between listing and reading
    }
  };
  const backendsBefore = new Map((await backends()).map((pid) => [pid, cpuOf(pid)]));
  const serverBefore = cpuOf(serverPid);
  const generatorBefore = process.cpuUsage();
  const result = await work();
  const generator = process.cpuUsage(generatorBefore);
  const server = cpuOf(serverPid) - serverBefore;
  let postgres = 0;
  for (const pid of await backends()) postgres += cpuOf(pid) - (backendsBefore.get(pid) ?? 0);
  const perRequest = 1e6 * Math.max(1, requestsOf(result));
  return { result, cpu: { server: server / perRequest, postgres: postgres / perRequest, generator: ((generator.user + generator.system) * 1000) / perRequest } };
}

const describeCpu = (cpu: CpuPerScreening): string => `server ${cpu.server.toFixed(2)} ms, PostgreSQL ${cpu.postgres.toFixed(2)} ms, load generator ${cpu.generator.toFixed(2)} ms`;

const atMost = (name: string, value: number, unit: string, target: number, note?: string): BenchFigure => ({
  name, value, unit, target: `<= ${target} ${unit}`, met: value <= target, ...(value > target && note !== undefined ? { note } : {}),
});
const atLeast = (name: string, value: number, unit: string, target: number, note?: string): BenchFigure => ({
  name, value, unit, target: `>= ${target} ${unit}`, met: value >= target, ...(value < target && note !== undefined ? { note } : {}),
});

async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const stream = redis.scanStream({ match: `${prefix}*`, count: 1_000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.unlink(...keys);
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  const figures: BenchFigure[] = [];
  await withScratchDatabase('compliance_bench_screening', async (databaseUrl, name) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      migrateDatabase(databaseUrl);
      const port = await freePort();
      const redisKeyPrefix = `bench-screening-${Date.now()}:`;
      const server = startPinned([...SERVICE_ARGS], {
        ...env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: redisKeyPrefix,
        JWT_SECRET, WEBHOOK_SECRET: JWT_SECRET.replace('jwt', 'hook'), STRIPE_WEBHOOK_SECRET: JWT_SECRET.replace('jwt', 'strp'),
        ENCRYPTION_KEY: '7465737420656e6372797074696f6e206b657920303132333435363738396162',
        SANCTIONS_LIST_POLL_INTERVAL_MS: '500', RATE_LIMIT_DEFAULT_LIMIT: '100000000', LOAD_SHEDDING: 'false', BULKHEAD_PATTERN: 'true',
      }, 1);
      const serverPid = server.pid as number;
      const base = `http://127.0.0.1:${port}`;
      try {
        await waitForHttp(`${base}/health/live`);
        await new Promise((done) => setTimeout(done, 1_000));
        const rssBefore = rssBytesOf(serverPid);
        const imported = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist/modules/sanctions/sanctions-import.cli.js'), '--dir', OFAC_DIR], { env, stdio: ['ignore', 'pipe', 'ignore'] }).toString()) as { entries: number; durationMs: number; versionId: string };
        rows.push({ measure: 'import of the SDN snapshot (CLI)', value: `${imported.durationMs} ms (${imported.entries} entries)`, target: '≤ 10 s' });
        figures.push(atMost('import of the SDN snapshot (CLI)', imported.durationMs, 'ms', TARGET.importMs));
        const token = await mintToken({ issuer: 'ticketing-platform', audience: 'compliance-service' }, JWT_SECRET, { subject: 'bench-service', tenantId: '00000000-0000-4000-8000-000000000001', roles: ['service'] });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const screen = (body: unknown, path = '') => fetch(`${base}/api/v1/screenings${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
        const deadline = Date.now() + 20_000;
        while ((await screen({ name: 'warm up' })).status === 503 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
        const rssAfter = rssBytesOf(serverPid);

        // Memory the list adds: in this process with a forced GC (exact for the heap), and the server's RSS.
        const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl }).initialize();
        const repository = new SanctionsListRepository();
        gc?.();
        const heapBefore = process.memoryUsage().heapUsed;
        const entries = await repository.entriesOf(dataSource.manager, imported.versionId);
        const matcher = new SanctionsMatcher(SanctionsNameIndex.build(entries));
        gc?.();
        const heapAdded = process.memoryUsage().heapUsed - heapBefore;
        await dataSource.destroy();
        const listNames = entries.map((entry) => entry.primaryName);
        rows.push({ measure: 'heap added by the list (entries + index)', value: gc ? mb(heapAdded) : 'run with --expose-gc', target: '≤ 60 MB' });
        rows.push({ measure: 'server RSS before → after loading', value: `${mb(rssBefore)} → ${mb(rssAfter)} (+${mb(rssAfter - rssBefore)})`, target: '' });
        figures.push(gc
          ? atMost('heap added by the list (entries + index)', Number((heapAdded / 1024 / 1024).toFixed(1)), 'MB', TARGET.listMb)
          : atMost('server RSS added by loading the list', Number(((rssAfter - rssBefore) / 1024 / 1024).toFixed(1)), 'MB', TARGET.listMb, 'without --expose-gc: RSS, which includes garbage'));
        void matcher;

        const names = queryNames(listNames, 200_000);
        let next = 0;
        for (const warm of names.slice(0, 300)) await screen({ name: warm });
        next = 300;
        // The server keeps core 1; this process and the database's backends (the pool is warm) go to core 0.
        await isolateServerCore(ADMIN_URL, name);
        const nextBody = () => JSON.stringify({ name: names[next++ % names.length] });
        const cpuNote = 'CPU per screening spread over the request path: framework hooks, guards and logging outside the screening code take a fixed share (see the report of issue 11)';
        // The target is latency at a rate: 8 callers sending on a steady schedule, together 500/s
        // (BENCH_RATE). A first, unrecorded run at that rate lets the JIT settle on the request path:
        // a stall at the start would leave a backlog that an open-loop schedule carries to the end.
        const steady = (seconds: number) => pacedCallers({ url: `${base}/api/v1/screenings`, callers: 8, rate: RATE, seconds, method: 'POST', headers, body: nextBody });
        await steady(WARM_UP_SECONDS);
        const { result: paced, cpu: pacedCpu } = await cpuPerRequest(serverPid, admin, name, () => steady(LATENCY_SECONDS), (result) => result.answered);
        const [p50, p99] = [quantile(paced.latencies, 0.5), quantile(paced.latencies, 0.99)].map((ms) => Number(ms.toFixed(2))) as [number, number];
        rows.push({ measure: `single screenings at ${RATE}/s, 8 callers, ${LATENCY_SECONDS} s`, value: `p50 ${p50} ms, p99 ${p99} ms (${Math.round(paced.perSecond)}/s served)`, target: 'p50 ≤ 3 ms, p99 ≤ 25 ms' });
        rows.push({ measure: `CPU per screening at ${RATE}/s`, value: describeCpu(pacedCpu), target: `server ≤ ${TARGET.serverCpuMs} ms, PostgreSQL ≤ ${TARGET.postgresCpuMs} ms` });
        // Throughput: 8 callers each sending the next request as soon as the last is answered.
        const { result: saturated, cpu: saturatedCpu } = await cpuPerRequest(serverPid, admin, name, () => autocannon({
          url: `${base}/api/v1/screenings`, duration: SECONDS, connections: 8, pipelining: 1, method: 'POST', headers,
          requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
        }), (result) => result.requests.total);
        rows.push({ measure: 'screenings/s, 8 callers without pause', value: `${Math.round(saturated.requests.average)} (p50 ${saturated.latency.p50} ms; ${saturated.non2xx + paced.non2xx} non-2xx, ${saturated.errors + paced.errors} errors)`, target: '≥ 500/s' });
        rows.push({ measure: 'CPU per screening, 8 callers without pause', value: describeCpu(saturatedCpu), target: `server ≤ ${TARGET.serverCpuMs} ms, PostgreSQL ≤ ${TARGET.postgresCpuMs} ms` });
        const failed = paced.non2xx + paced.errors + saturated.non2xx + saturated.errors;
        const shared = 'measured with the load generator, PostgreSQL and Redis on the same 2 cores; other load on the machine lowers it';
        figures.push(
          atMost(`screening p50 at ${RATE}/s, 8 callers`, p50, 'ms', TARGET.p50Ms, shared),
          atMost(`screening p99 at ${RATE}/s, 8 callers`, p99, 'ms', TARGET.p99Ms, shared),
          atLeast(`screenings/s served at ${RATE}/s`, Math.round(paced.perSecond), 'screenings/s', TARGET.perSecond, shared),
          atLeast('screenings/s, 8 callers without pause', Math.round(saturated.requests.average), 'screenings/s', TARGET.perSecond, shared),
          atMost(`server CPU per screening at ${RATE}/s`, Number(pacedCpu.server.toFixed(3)), 'ms', TARGET.serverCpuMs, cpuNote),
          atMost(`PostgreSQL CPU per screening at ${RATE}/s`, Number(pacedCpu.postgres.toFixed(3)), 'ms', TARGET.postgresCpuMs),
          atMost('server CPU per screening, 8 callers without pause', Number(saturatedCpu.server.toFixed(3)), 'ms', TARGET.serverCpuMs, cpuNote),
          atMost('PostgreSQL CPU per screening, 8 callers without pause', Number(saturatedCpu.postgres.toFixed(3)), 'ms', TARGET.postgresCpuMs),
          { name: 'failed screenings (non-2xx and errors)', value: failed, unit: 'requests', target: '0', met: failed === 0 },
        );

        const batch = names.slice(next, next + 1000).map((batchName) => ({ name: batchName }));
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const startedAt = performance.now();
          const response = await screen({ items: batch.map((item) => ({ name: `${item.name} ${i}` })) }, '/batch');
          if (response.status !== 200) throw new Error(`batch: ${response.status} ${await response.text()}`);
          await response.arrayBuffer();
          times.push(performance.now() - startedAt);
        }
        rows.push({ measure: 'batch of 1,000 names (best / worst of 3)', value: `${Math.min(...times).toFixed(0)} / ${Math.max(...times).toFixed(0)} ms`, target: '≤ 2 s' });
        figures.push(atMost('batch of 1,000 names (worst of 3)', Math.round(Math.max(...times)), 'ms', TARGET.batchMs, shared));
      } finally {
        server.kill('SIGINT');
        await new Promise((done) => server.once('exit', done));
        // Every screening cached a result for a day: left behind, tens of thousands of keys a run slow later runs.
        if (REDIS_URL !== undefined) await deleteKeysWithPrefix(REDIS_URL, redisKeyPrefix);
      }
    } finally {
      await admin.end();
    }
  });
  console.log(table(rows));
  writeBenchReport({
    bench: 'screening-http',
    method: `the built service pinned to core 1 (taskset), the SDN snapshot imported, one service token; single screenings of distinct names (a quarter listed names with a typo) for ${LATENCY_SECONDS} s by 8 callers on a steady schedule totalling ${RATE}/s after ${WARM_UP_SECONDS} s unrecorded (bench/paced-callers.ts, latency from when each request was due), then ${SECONDS} s by 8 callers without pause (autocannon); this process and the database's backends pinned to core 0; CPU per screening from /proc (schedstat) of the server and of the PostgreSQL backends of the bench's database, over each run ÷ screenings answered; then 3 batches of 1,000 names; list memory in this process with a forced GC; no baseline`,
    figures,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
