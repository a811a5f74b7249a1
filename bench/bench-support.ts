import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';

export const ROOT = join(__dirname, '..');

export { freePort } from '../test/helpers/free-port';

/** Applies every migration to `databaseUrl`, as the init container does before pods start. */
export function migrateDatabase(databaseUrl: string): void {
  execFileSync(process.execPath, [join(ROOT, 'dist/database/migration.cli.js'), 'run'], { env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts `node <args>` pinned to one core (when taskset exists), so servers compete equally. */
export function startPinned(args: string[], env: NodeJS.ProcessEnv, core = 1): ChildProcess {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
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
