/**
 * `npm run bench:cold-start`: time from `npm start`'s command (node and its flags, dist/index.js) to the first 200 on /health/live,
 * resident memory after a few idle seconds, and again after a burst of payout-eligibility requests
 * (JWT, RLS transaction, PostgreSQL). Against an existing, migrated PostgreSQL (DATABASE_URL, as in
 * a pod), in interleaved rounds with a baseline started the same way: a raw node:http server
 * (bench/raw-json-server.js), Node's own start-up floor and memory. Targets: first 200 ≤ 1.5 s,
 * idle RSS ≤ 160 MB. Also zero-config (embedded PostgreSQL), fresh (initdb and the first migration
 * run) and warm (the same data folder started again; target < 3 s), which have no baseline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { mintToken } from '../src/auth/token-minter';
import { type BenchFigure, quickOr, writeBenchReport } from './bench-report';
import { BENCH_SECRET, closedLoop, freePort, interleavedRounds, median, migrateDatabase, PRODUCTION_SECRETS, ROOT, rssBytesOf, SERVICE_ARGS, table, withScratchDatabase } from './bench-support';

const RUNS = Number(process.env.BENCH_RUNS ?? quickOr(5, 2));
const IDLE_MS = quickOr(3_000, 1_000);
const LOAD_SECONDS = quickOr(5, 1);
const LOAD_CONNECTIONS = 8;
const START_TARGET_MS = 1_500;
const IDLE_RSS_TARGET_MB = 160;
const WARM_ZERO_CONFIG_TARGET_MS = 3_000;

interface Start {
  firstOkMs: number;
  idleRssMb: number;
  loadedRssMb?: number;
}

interface Load {
  path: string;
  headers: Record<string, string>;
}

const megabytes = (pid: number) => Math.round(rssBytesOf(pid) / 1024 / 1024);

async function firstOk(child: ChildProcess, url: string, startedAt: number): Promise<number> {
  for (;;) {
    // A child that dies during start-up (bad configuration) would otherwise be polled forever.
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited before answering ${url}`);
    if (await fetch(url).then((response) => response.ok, () => false)) return Math.round(performance.now() - startedAt);
    if (performance.now() - startedAt > 30_000) throw new Error(`no 200 from ${url} within 30 s`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

async function oneStart(args: readonly string[], probePath: string, env: NodeJS.ProcessEnv, load?: Load): Promise<Start> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...args], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  try {
    const firstOkMs = await firstOk(child, `http://127.0.0.1:${port}${probePath}`, startedAt);
    await new Promise((done) => setTimeout(done, IDLE_MS));
    const idleRssMb = megabytes(child.pid as number);
    if (load === undefined) return { firstOkMs, idleRssMb };
    await closedLoop(`http://127.0.0.1:${port}${load.path}`, LOAD_SECONDS, LOAD_CONNECTIONS, load.headers);
    return { firstOkMs, idleRssMb, loadedRssMb: megabytes(child.pid as number) };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

function compared(name: string, unit: string, service: number[], baseline: number[], target?: { text: string; met: (value: number) => boolean; why: string }): BenchFigure {
  const value = median(service);
  const base = median(baseline);
  const ratio = median(service.map((run, index) => run / (baseline[index] ?? Number.NaN)));
  if (target === undefined) return { name, value, unit, baseline: base, ratio: Number(ratio.toFixed(2)) };
  const met = target.met(value);
  return { name, value, unit, baseline: base, ratio: Number(ratio.toFixed(2)), target: target.text, met, ...(met ? {} : { note: target.why }) };
}

async function zeroConfig(): Promise<{ fresh: Start[]; warm: Start[] }> {
  // Fresh: initdb and every migration on the first start. Warm: the same data folder started again,
  // which is what `npm start` does on a developer's machine after the first time.
  const fresh: Start[] = [];
  const warm: Start[] = [];
  for (let run = 0; run < Math.min(RUNS, 3); run += 1) {
    const folder = mkdtempSync(join(tmpdir(), 'cold-start-'));
    chmodSync(folder, 0o755);
    const embeddedEnv = { EMBEDDED_DATABASE_DIR: join(folder, 'pg'), EMBEDDED_DATABASE_PORT: String(await freePort()) };
    try {
      fresh.push(await oneStart(SERVICE_ARGS, '/health/live', embeddedEnv));
      warm.push(await oneStart(SERVICE_ARGS, '/health/live', embeddedEnv));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
  return { fresh, warm };
}

async function main(): Promise<void> {
  const figures: BenchFigure[] = [];
  const rows: Array<Record<string, string | number>> = [];
  await withScratchDatabase('compliance_bench_cold', async (databaseUrl) => {
    migrateDatabase(databaseUrl);
    const token = await mintToken({ issuer: 'ticketing-platform', audience: 'compliance-service' }, BENCH_SECRET, { subject: 'payments-service', tenantId: randomUUID(), roles: ['service'] });
    const serviceEnv = { NODE_ENV: 'production', DATABASE_URL: databaseUrl, REDIS_URL: '', ...PRODUCTION_SECRETS, RATE_LIMIT_DEFAULT_LIMIT: '1000000000' };
    const runs = await interleavedRounds(
      RUNS,
      () => oneStart(SERVICE_ARGS, '/health/live', serviceEnv, { path: '/api/v1/venues/venue-1/payout-eligibility', headers: { authorization: `Bearer ${token}` } }),
      () => oneStart(['bench/raw-json-server.js'], '/', {}, { path: '/', headers: {} }),
    );
    const pick = (starts: Start[], key: keyof Start) => starts.map((start) => start[key] ?? Number.NaN);
    const floor = median(pick(runs.baseline, 'firstOkMs'));
    figures.push(
      compared('cold start to first 200 on /health/live (DATABASE_URL, as in a pod)', 'ms', pick(runs.candidate, 'firstOkMs'), pick(runs.baseline, 'firstOkMs'), {
        text: `<= ${START_TARGET_MS} ms`,
        met: (value) => value <= START_TARGET_MS,
        why: `raw node:http answers after ${floor} ms here; the rest is loading Nest, TypeORM and the modules and connecting to PostgreSQL`,
      }),
      compared(`idle RSS ${IDLE_MS / 1000} s after the first 200`, 'MB', pick(runs.candidate, 'idleRssMb'), pick(runs.baseline, 'idleRssMb'), {
        text: `<= ${IDLE_RSS_TARGET_MB} MB`,
        met: (value) => value <= IDLE_RSS_TARGET_MB,
        why: `raw node:http idles at ${median(pick(runs.baseline, 'idleRssMb'))} MB here; the rest is the loaded code, the pools and V8's heap`,
      }),
      compared(`loaded RSS after ${LOAD_SECONDS} s of payout-eligibility requests (${LOAD_CONNECTIONS} callers; baseline: its own route)`, 'MB', pick(runs.candidate, 'loadedRssMb'), pick(runs.baseline, 'loadedRssMb')),
    );
    rows.push(
      { case: 'service, DATABASE_URL (as in a pod)', runs: RUNS, 'first 200 ms (median)': median(pick(runs.candidate, 'firstOkMs')), 'idle RSS MB': median(pick(runs.candidate, 'idleRssMb')), 'loaded RSS MB': median(pick(runs.candidate, 'loadedRssMb')) },
      { case: 'baseline: raw node:http', runs: RUNS, 'first 200 ms (median)': floor, 'idle RSS MB': median(pick(runs.baseline, 'idleRssMb')), 'loaded RSS MB': median(pick(runs.baseline, 'loadedRssMb')) },
    );
  });

  const { fresh, warm } = await zeroConfig();
  const freshMs = median(fresh.map((run) => run.firstOkMs));
  const warmMs = median(warm.map((run) => run.firstOkMs));
  figures.push(
    { name: 'zero-config first start: initdb, embedded PostgreSQL, every migration', value: freshMs, unit: 'ms', note: 'no baseline: dominated by initdb and the migrations (see the migrations bench)' },
    { name: 'zero-config warm start (data folder kept)', value: warmMs, unit: 'ms', target: `< ${WARM_ZERO_CONFIG_TARGET_MS} ms`, met: warmMs < WARM_ZERO_CONFIG_TARGET_MS, ...(warmMs < WARM_ZERO_CONFIG_TARGET_MS ? {} : { note: 'starting the embedded PostgreSQL server comes before the application start measured above' }) },
  );
  for (const [label, runs] of [['zero-config, fresh embedded PostgreSQL', fresh], ['zero-config, warm (data folder kept)', warm]] as const) {
    rows.push({ case: label, runs: runs.length, 'first 200 ms (median)': median(runs.map((run) => run.firstOkMs)), 'idle RSS MB': median(runs.map((run) => run.idleRssMb)), 'loaded RSS MB': '' });
  }
  process.stdout.write(`\nCold start of node ${SERVICE_ARGS.join(' ')} (RSS of the Node process only), ${RUNS} interleaved rounds with a raw node:http server\n\n${table(rows)}\n`);
  writeBenchReport({
    bench: 'cold-start',
    method: `${RUNS} interleaved rounds (after one warm-up round) of the service and a raw node:http server, each started as \`node <script>\` and polled every 10 ms until the first 200; RSS from /proc ${IDLE_MS / 1000} s later and after ${LOAD_SECONDS} s of closed-loop load (${LOAD_CONNECTIONS} connections); medians, ratio = median of per-round ratios. Zero-config: ${fresh.length} fresh + warm starts.`,
    figures,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
