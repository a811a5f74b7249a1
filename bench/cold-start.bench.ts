/**
 * `npm run bench:cold-start`: time from `node dist/index.js` to the first 200 on /health/live, and
 * resident memory after a few idle seconds. Against an existing, migrated PostgreSQL (DATABASE_URL,
 * as in a pod), and zero-config (embedded PostgreSQL) both fresh (initdb and the first migration
 * run) and warm (the same data folder started again; target < 3 s).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, migrateDatabase, PRODUCTION_SECRETS, ROOT, table } from './bench-support';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function rssMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

async function oneStart(env: NodeJS.ProcessEnv): Promise<{ firstOkMs: number; idleRssMb: number }> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['dist/index.js'], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((done) => child.once('exit', done));
  let exitCode: number | null = null;
  void exited.then(() => { exitCode = child.exitCode ?? -1; });
  try {
    for (;;) {
      // A child that dies during start-up (bad configuration) would otherwise be polled forever.
      if (exitCode !== null) throw new Error(`dist/index.js exited with ${exitCode} before answering /health/live`);
      if (await fetch(`http://127.0.0.1:${port}/health/live`).then((response) => response.ok, () => false)) break;
      if (performance.now() - startedAt > 30_000) throw new Error('no 200 within 30 s');
      await new Promise((done) => setTimeout(done, 10));
    }
    const firstOkMs = Math.round(performance.now() - startedAt);
    await new Promise((done) => setTimeout(done, 3_000));
    return { firstOkMs, idleRssMb: rssMegabytes(child.pid as number) };
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  const name = `compliance_bench_cold_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${name}`;
  const rows = [];
  try {
    migrateDatabase(databaseUrl.toString());
    const external = [];
    for (let run = 0; run < RUNS; run += 1) {
      external.push(await oneStart({ NODE_ENV: 'production', DATABASE_URL: databaseUrl.toString(), ...PRODUCTION_SECRETS }));
    }
    rows.push({ case: 'DATABASE_URL (as in a pod)', runs: RUNS, 'first 200 ms (median)': median(external.map((run) => run.firstOkMs)), 'idle RSS MB (median)': median(external.map((run) => run.idleRssMb)) });

    // Fresh: initdb and every migration on the first start. Warm: the same data folder started again,
    // which is what `npm start` does on a developer's machine after the first time.
    const fresh = [];
    const warm = [];
    for (let run = 0; run < Math.min(RUNS, 3); run += 1) {
      const folder = mkdtempSync(join(tmpdir(), 'cold-start-'));
      chmodSync(folder, 0o755);
      const embeddedEnv = { EMBEDDED_DATABASE_DIR: join(folder, 'pg'), EMBEDDED_DATABASE_PORT: String(await freePort()) };
      try {
        fresh.push(await oneStart(embeddedEnv));
        warm.push(await oneStart(embeddedEnv));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    for (const [label, runs] of [['zero-config, fresh embedded PostgreSQL', fresh], ['zero-config, warm (data folder kept)', warm]] as const) {
      rows.push({ case: label, runs: runs.length, 'first 200 ms (median)': median(runs.map((run) => run.firstOkMs)), 'idle RSS MB (median)': median(runs.map((run) => run.idleRssMb)) });
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
  process.stdout.write(`\nCold start of node dist/index.js (RSS of the Node process only)\n\n${table(rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
