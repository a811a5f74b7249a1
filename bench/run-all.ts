/**
 * `npm run bench` (after one build): runs every bench script — bench/*.bench.ts and
 * bench/metrics-overhead.ts — one after the other, each as its own process started the same way
 * (`node --expose-gc -r ts-node/register/transpile-only bench/<script>`, BENCH_JSON set), streams
 * their own output, collects the figures they write (bench/bench-report.ts) and writes
 * docs/PERFORMANCE.md. One at a time, because each bench pins its servers to the cores.
 *
 *   --only cold-start,migrations   run a subset (names: the file name without .bench.ts / .ts)
 *   --out <path>                   write elsewhere than docs/PERFORMANCE.md
 *   BENCH_QUICK=1                  every script shortens its rounds and durations: a smoke run of
 *                                  the pipeline, marked as such at the top of the document
 *   BENCH_TIMEOUT_MINUTES (15)     a bench still running after this is killed and reported
 *
 * Exit 1 when a bench failed or wrote no figures (the document is written anyway); missed targets
 * do not fail the run: the document lists them with their reasons.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_QUICK, readBenchReport } from './bench-report';
import { ROOT } from './bench-support';
import { type BenchRun, type Machine, renderPerformance } from './performance-report';

const BENCH_DIR = join(ROOT, 'bench');
/** Bench scripts that predate the *.bench.ts naming. */
const OTHER_SCRIPTS = ['metrics-overhead.ts'];
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 15) * 60_000;
const STDERR_TAIL = 1_500;

const nameOf = (script: string) => script.replace(/(\.bench)?\.ts$/, '');

/** The running bench's process group, ended with run-all on Ctrl-C (it is detached from ours). */
let runningGroup: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (runningGroup !== undefined) process.kill(-runningGroup, 'SIGKILL');
    process.exit(130);
  });
}

function benchScripts(only: string[] | undefined): string[] {
  const all = [...readdirSync(BENCH_DIR).filter((file) => file.endsWith('.bench.ts')), ...OTHER_SCRIPTS].sort();
  if (only === undefined) return all;
  const unknown = only.filter((name) => !all.some((script) => nameOf(script) === name));
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}; known: ${all.map(nameOf).join(', ')}`);
  return all.filter((script) => only.includes(nameOf(script)));
}

function machine(): Machine {
  const processors = cpus();
  const nproc = (() => {
    try {
      return execFileSync('nproc', { encoding: 'utf8' }).trim();
    } catch {
      return 'unavailable';
    }
  })();
  return {
    cpus: processors.length,
    model: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    nproc,
    os: `${osType()} ${release()} ${process.arch}`,
    loadAverage: loadavg().map((load) => load.toFixed(2)).join(', '),
  };
}

/** How this run was started, for the document: what someone types to get it again. */
function commandLine(args: string[]): string {
  const quick = BENCH_QUICK ? 'BENCH_QUICK=1 ' : '';
  if (process.env.npm_lifecycle_event === 'bench') return `${quick}npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  return `${quick}node ${process.execArgv.join(' ')} ${relative(ROOT, process.argv[1] ?? 'bench/run-all.ts')} ${args.join(' ')}`.replace(/\s+/g, ' ').trim();
}

/** The last two error messages in a bench's stderr (a server's failure, then the bench's), without stack frames. */
function failureOf(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('at '));
  const errors = lines.filter((line) => /error/i.test(line)).slice(-2);
  return errors.length > 0 ? errors.join(' / ') : (lines.at(-1) ?? 'no output on stderr');
}

/** Runs one bench to its end (or its timeout); its output streams through, the stderr tail is kept. */
function runBench(script: string, jsonPath: string): Promise<BenchRun> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', join('bench', script)], {
    cwd: ROOT,
    env: { ...process.env, BENCH_JSON: jsonPath },
    stdio: ['ignore', 'inherit', 'pipe'],
    // Its own process group: a timeout ends the bench and the servers it started, nothing else.
    detached: true,
  });
  runningGroup = child.pid;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-(child.pid as number), 'SIGKILL');
  }, TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      runningGroup = undefined;
      const seconds = Math.round((performance.now() - startedAt) / 1000);
      let report;
      let problem: string | undefined;
      try {
        report = readBenchReport(jsonPath);
      } catch (error) {
        problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'wrote no BENCH_JSON report (the script does not implement the contract of bench/bench-report.ts, or failed before writing it)' : (error as Error).message;
      }
      if (timedOut) problem = `killed after ${TIMEOUT_MS / 60_000} min (BENCH_TIMEOUT_MINUTES)`;
      else if (exitCode !== 0) problem = `failed: ${failureOf(stderr)}`;
      resolve({ script, exitCode, seconds, ...(report === undefined ? {} : { report }), ...(problem === undefined ? {} : { problem }) });
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const { values } = parseArgs({ args, options: { only: { type: 'string' }, out: { type: 'string' } } });
  const scripts = benchScripts(values.only?.split(',').map((name) => name.trim()));
  const out = join(ROOT, values.out ?? 'docs/PERFORMANCE.md');
  const startedAt = new Date();
  const environment = machine();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-json-'));
  const runs: BenchRun[] = [];
  try {
    for (const script of scripts) {
      process.stdout.write(`\n==> bench/${script}${BENCH_QUICK ? ' (BENCH_QUICK=1)' : ''}\n`);
      runs.push(await runBench(script, join(scratch, `${nameOf(script)}.json`)));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderPerformance({ machine: environment, command: commandLine(args), startedAt, quick: BENCH_QUICK, runs }));
  const failed = runs.filter((run) => run.problem !== undefined);
  process.stdout.write(`\nWrote ${relative(ROOT, out)}: ${runs.length - failed.length} of ${runs.length} benches with figures${failed.length > 0 ? `; without: ${failed.map((run) => nameOf(run.script)).join(', ')}` : ''}\n`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
