import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { serviceStartArgs } from '../test/helpers/service-start-args';

export const ROOT = join(__dirname, '..');

export { freePort } from '../test/helpers/free-port';

/** The admin connection benches create their scratch databases through. */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

/** The secrets a production start requires (config.loader refuses to start without them). */
export const PRODUCTION_SECRETS = {
  JWT_SECRET: BENCH_SECRET,
  WEBHOOK_SECRET: BENCH_SECRET,
  STRIPE_WEBHOOK_SECRET: BENCH_SECRET,
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** Applies every migration to `databaseUrl`, as the init container does before pods start. */
export function migrateDatabase(databaseUrl: string): void {
  execFileSync(process.execPath, [join(ROOT, 'dist/database/migration.cli.js'), 'run'], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Keeps the load generator (this process, all its threads) and the database's backends for
 * `databaseName` off the server's core, so the server under test has core 1 to itself and the
 * figures measure its own CPU cost rather than where the scheduler put PostgreSQL. Call after
 * the server's pool is warm (backends exist). Does nothing where taskset is missing.
 */
export async function isolateServerCore(adminUrl: string, databaseName: string, otherCore = 0): Promise<number> {
  const pin = (pid: number, allThreads: boolean) => {
    try {
      execFileSync('taskset', [...(allThreads ? ['-a'] : []), '-p', '-c', String(otherCore), String(pid)], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  pin(process.pid, true);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [databaseName]);
    return rows.filter(({ pid }) => pin(pid, false)).length;
  } finally {
    await admin.end();
  }
}

/** How `npm start` and the container start the service: node flags, then dist/index.js (relative to ROOT). */
export const SERVICE_ARGS: readonly string[] = serviceStartArgs(ROOT);

/** Starts `node <args>` pinned to one core (when taskset exists), so servers compete equally. */
export function startPinned(args: string[], env: NodeJS.ProcessEnv, core = 1): ChildProcess {
  // BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the measured server.
  const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter((flag) => flag !== '') ?? [];
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeFlags, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('error', () => undefined);
  return child;
}

export async function waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const startedAt = Date.now();
  while (Date.now() - startedAt < timeoutMs) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

export interface LoadResult {
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  p99Ms: number;
}

/** Closed-loop load: as many requests as `connections` keep-alive clients can send. */
export async function closedLoop(url: string, seconds: number, connections = 50, headers: Record<string, string> = {}): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, headers });
  return {
    requestsPerSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    p99Ms: result.latency.p99,
  };
}

export function table(rows: Array<Record<string, string | number>>): string {
  const headers = Object.keys(rows[0] ?? {});
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => String(row[header]).length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ');
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(headers.map((header) => String(row[header]))))].join('\n');
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * `rounds` measured rounds of candidate and baseline after `warmUps` unrecorded ones, alternating
 * which goes first (ABBA), so drift in background load and caches warmed by the first of a pair hit
 * both sides alike. Compare per-round ratios (or medians), never one side's best run.
 */
export async function interleavedRounds<T>(rounds: number, candidate: () => Promise<T>, baseline: () => Promise<T>, warmUps = 1): Promise<{ candidate: T[]; baseline: T[] }> {
  const results = { candidate: [] as T[], baseline: [] as T[] };
  for (let round = -warmUps; round < rounds; round += 1) {
    const pair = round % 2 === 0 ? [['candidate', candidate], ['baseline', baseline]] as const : [['baseline', baseline], ['candidate', candidate]] as const;
    for (const [side, run] of pair) {
      const result = await run();
      if (round >= 0) results[side].push(result);
    }
  }
  return results;
}

/** Resident memory of a process from /proc, in bytes. */
export function rssBytesOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

/** Creates a database named `<prefix>_<time>` through ADMIN_URL, hands its URL to `work`, drops it after. */
export async function withScratchDatabase<T>(prefix: string, work: (databaseUrl: string, name: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await work(url.toString(), name);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
