/**
 * `npm run bench:health`: what a probe costs the service, against a raw node:http server answering
 * the same bytes, and where the CPU of a request through Fastify goes, hook by hook. Targets:
 * /health/live ≥ 0.70 and /health/ready ≥ 0.50 of raw node:http; at most one database ping per
 * HEALTH_CHECK_INTERVAL_MS however fast readiness is probed.
 *
 * Method. The figure is the server's CPU time per request (all its threads, from /proc), less the
 * CPU it uses when idle (timers, pools, job polling: measured each round), each server pinned to
 * core 1, the load generator and the database's backends on core 0. The ratio of CPU per request is
 * the ratio of the throughputs the servers would reach on that core; unlike a ratio of throughputs
 * it does not measure the load generator, which on a 2-core machine cannot saturate these servers
 * (autocannon, one Node thread, kept them 15-60 % busy), nor who else had the CPU meanwhile. The
 * load comes in pipelined batches (bench/pipelined-load.ts), so that every server wakes to the same
 * batches whatever CPU the generator gets. Rounds interleave the servers in a rotating order,
 * SECONDS each; a ratio is the median of its per-round ratios. /health/live is measured in two
 * processes of the service and its ratio pools both (two identical processes have differed by a
 * quarter all along). Then one more process of the
 * service is profiled (`--cpu-prof`) under the same load through Fastify and its samples are split
 * by hook (bench/probe-cost-categories.ts); a part's µs/request is its share of that profile times
 * the route's CPU per request measured above.
 * BENCH_JSON=<path> also writes the figures as a bench report (bench/bench-report.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAdmin } from '../test/helpers/test-database';
import { type BenchFigure, quickOr, writeBenchReport } from './bench-report';
import { freePort, isolateServerCore, migrateDatabase, PRODUCTION_SECRETS, SERVICE_ARGS, startPinned, table, waitForHttp } from './bench-support';
import { attributeCpuProfile } from './cpu-profile-attribution';
import { framework, handsOver, HOOKS, PROBE_COST_CATEGORIES } from './probe-cost-categories';
import { type CpuSample, cpuMicrosecondsPerRequest, idleCpuPerSecond, serverCpuUnderLoad } from './server-cpu';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? quickOr(12, 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? quickOr(2, 1));
const PROFILE_SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? quickOr(15, 3));
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];
/** Error tracking on, reporting to a port where nothing listens (a healthy probe reports nothing). */
const SENTRY_DSN = 'http://bench@127.0.0.1:9/1';
/** A query string takes /health/live past the fast path, through Fastify's route and every hook. */
const THROUGH_FASTIFY = '/health/live?through=fastify';
const TARGETS: Record<string, number> = { live: 0.7, ready: 0.5 };
/** Rows of the table: a measured server, or /health/live's samples from both processes together. */
const POOLED: Record<string, string[]> = { live: ['live-1', 'live-2'] };

interface Measured {
  name: string;
  label: string;
  url: string;
  pid: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = sorted[Math.floor(at)] as number;
  return below + ((sorted[Math.ceil(at)] as number) - below) * (at - Math.floor(at));
};
const median = (values: number[]) => quantile(values, 0.5);
/** Database checks a window of `seconds` may hold at one per HEALTH_CHECK_INTERVAL_MS (1 s): one per interval it overlaps. */
const pingsAllowed = (seconds: number) => Math.floor(seconds) + 1;

/** The 1-minute load average: how busy the machine was while the figures were taken. */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';

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
  const children: Array<ReturnType<typeof startPinned>> = [];
  const profileDir = mkdtempSync(join(tmpdir(), 'health-probes-profile-'));
  try {
    migrateDatabase(databaseUrl.toString());
    const appEnv = { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl.toString(), DATABASE_POOL_SIZE: '3', REDIS_URL, ...PRODUCTION_SECRETS, SENTRY_DSN: '', SHUTDOWN_DRAIN_MS: '0' };
    const start = async (args: string[], env: NodeJS.ProcessEnv, ready: string) => {
      const port = await freePort();
      const child = startPinned(args, { ...env, PORT: String(port) });
      children.push(child);
      await waitForHttp(`http://127.0.0.1:${port}${ready}`, 180_000);
      return { base: `http://127.0.0.1:${port}`, pid: child.pid as number, child };
    };
    const raw = await start(['bench/raw-json-server.js'], process.env, '/');
    const fastify = await start([...TS_NODE, 'bench/health-probes-server.ts'], { ...process.env, BENCH_SERVER: 'fastify' }, '/health/live');
    const adapter = await start([...TS_NODE, 'bench/health-probes-server.ts'], { ...appEnv, BENCH_SERVER: 'adapter' }, '/health/live');
    const app = await start([...SERVICE_ARGS], appEnv, '/health/ready');
    // A second process of the service: one process can run slow all along (its JIT, its heap), and
    // then its figures disagree with the other's instead of passing for the service's.
    const app2 = await start([...SERVICE_ARGS], appEnv, '/health/ready');
    const tracked = await start([...SERVICE_ARGS], { ...appEnv, SENTRY_DSN }, '/health/ready');
    await isolateServerCore(ADMIN_URL, name);

    const measured: Measured[] = [
      { name: 'raw', label: 'raw node:http, same body', url: `${raw.base}/`, pid: raw.pid },
      { name: 'fastify', label: 'Fastify alone, one route', url: `${fastify.base}/health/live`, pid: fastify.pid },
      { name: 'adapter', label: "Fastify as Nest's adapter builds it", url: `${adapter.base}/health/live`, pid: adapter.pid },
      { name: 'live-1', label: '/health/live, first process', url: `${app.base}/health/live`, pid: app.pid },
      { name: 'live-2', label: '/health/live, second process', url: `${app2.base}/health/live`, pid: app2.pid },
      { name: 'through-fastify', label: '/health/live through Fastify (?query)', url: `${app.base}${THROUGH_FASTIFY}`, pid: app.pid },
      { name: 'through-fastify+sentry', label: '... and SENTRY_DSN set', url: `${tracked.base}${THROUGH_FASTIFY}`, pid: tracked.pid },
      { name: 'ready', label: '/health/ready', url: `${app.base}/health/ready`, pid: app.pid },
    ];
    for (const target of measured) await serverCpuUnderLoad(target.url, target.pid, SECONDS); // JIT warm-up

    const rounds: Array<Map<string, CpuSample>> = [];
    const idle = new Map<number, number[]>();
    const loads: string[] = [];
    let pings = 0;
    let readySeconds = 0;
    /** Rounds whose window saw more database checks than one per interval allows (see `pingsAllowed`). */
    let roundsOverPingBound = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const samples = new Map<string, CpuSample>();
      for (const pid of new Set(measured.map((target) => target.pid))) idle.set(pid, [...(idle.get(pid) ?? []), await idleCpuPerSecond(pid, 1)]);
      // Rotated each round, so that no server always follows the same one.
      for (const target of measured.map((_, index) => measured[(index + round) % measured.length] as Measured)) {
        const before = target.name === 'ready' ? await databaseChecks(app.base) : 0;
        const sample = await serverCpuUnderLoad(target.url, target.pid, SECONDS);
        samples.set(target.name, sample);
        if (target.name === 'ready') {
          const roundPings = (await databaseChecks(app.base)) - before;
          readySeconds += sample.seconds;
          pings += roundPings;
          if (roundPings > pingsAllowed(sample.seconds)) roundsOverPingBound += 1;
        }
      }
      rounds.push(samples);
      loads.push(loadAverage());
      const cpuOf = (which: string) => cpuMicrosecondsPerRequest(samples.get(which) as CpuSample);
      process.stderr.write(`round ${round + 1}/${ROUNDS} (load ${loads.at(-1)}): /health/live ${(cpuOf('raw') / cpuOf('live-1')).toFixed(2)} and ${(cpuOf('raw') / cpuOf('live-2')).toFixed(2)} of raw, through Fastify ${(cpuOf('raw') / cpuOf('through-fastify')).toFixed(2)} (idle CPU not yet taken out)\n`);
    }

    for (const child of children) child.kill('SIGKILL');
    const profiled = await start(['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=250', ...SERVICE_ARGS], appEnv, '/health/ready');
    await isolateServerCore(ADMIN_URL, name);
    await serverCpuUnderLoad(`${profiled.base}${THROUGH_FASTIFY}`, profiled.pid, PROFILE_SECONDS);
    const exited = new Promise((done) => profiled.child.once('exit', done));
    profiled.child.kill('SIGTERM'); // the profile is written as the process exits
    await exited;
    const profile = readdirSync(profileDir).find((file) => file.endsWith('.cpuprofile'));
    if (profile === undefined) throw new Error(`no .cpuprofile in ${profileDir}`);
    const shares = attributeCpuProfile(join(profileDir, profile), 'livenessAnswer', PROBE_COST_CATEGORIES, handsOver, framework);
    const idlePerSecond = new Map([...idle].map(([pid, rates]) => [pid, median(rates)]));
    report({ rounds, shares, pingsPerSecond: pings / readySeconds, roundsOverPingBound, loads, measured, idlePerSecond });
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(profileDir, { recursive: true, force: true });
    await new Promise((done) => setTimeout(done, 300));
    await withAdmin(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

interface Results {
  rounds: Array<Map<string, CpuSample>>;
  shares: Map<string, number>;
  pingsPerSecond: number;
  roundsOverPingBound: number;
  loads: string[];
  measured: Measured[];
  /** Per process: the median of its idle CPU (seconds per second) over the rounds. */
  idlePerSecond: Map<number, number>;
}

function report({ rounds, shares, pingsPerSecond, roundsOverPingBound, loads, measured, idlePerSecond }: Results): void {
  const pidOf = new Map(measured.map((target) => [target.name, target.pid]));
  const namesOf = (row: string) => POOLED[row] ?? [row];
  const of = (row: string) => namesOf(row).flatMap((name) => rounds.map((round) => round.get(name) as CpuSample));
  const perRequest = (round: Map<string, CpuSample>, name: string) => cpuMicrosecondsPerRequest(round.get(name) as CpuSample, idlePerSecond.get(pidOf.get(name) as number));
  const cpu = (row: string) => namesOf(row).flatMap((name) => rounds.map((round) => perRequest(round, name)));
  const ratios = (row: string) => namesOf(row).flatMap((name) => rounds.map((round) => perRequest(round, 'raw') / perRequest(round, name)));
  const middleHalf = (row: string) => `${quantile(ratios(row), 0.25).toFixed(2)}-${quantile(ratios(row), 0.75).toFixed(2)}`;
  const idleOf = (row: string) => median(namesOf(row).map((name) => idlePerSecond.get(pidOf.get(name) as number) ?? 0));
  const rows: Array<{ row: string; label: string }> = measured.flatMap(({ name, label }) => (name === 'live-2' ? [{ row: name, label }, { row: 'live', label: '/health/live, both processes' }] : [{ row: name, label }]));
  const serverRow = ({ row, label }: { row: string; label: string }) => ({
    server: label,
    'CPU µs/request': median(cpu(row)).toFixed(1),
    'ratio to raw': median(ratios(row)).toFixed(2),
    'middle half of rounds': middleHalf(row),
    'req/s': Math.round(median(of(row).map(({ requests, seconds }) => requests / seconds))),
    'server busy': `${Math.round(100 * median(of(row).map(({ cpuSeconds, seconds }) => cpuSeconds / seconds)))} %`,
    'idle CPU': `${(1000 * idleOf(row)).toFixed(1)} ms/s`,
    'non-2xx': of(row).reduce((sum, { non2xx }) => sum + non2xx, 0),
    target: TARGETS[row] === undefined ? '' : `>= ${TARGETS[row]?.toFixed(2)}`,
  });
  const throughFastify = median(cpu('through-fastify'));
  const hookNotes = new Map<string, string>(HOOKS.map(({ name, what }) => [`hook: ${name}`, what]));
  const costRows = [...shares]
    .sort(([, a], [, b]) => b - a)
    .map(([category, share]) => ({ part: category, share: `${(100 * share).toFixed(1)} %`, 'µs/request': (share * throughFastify).toFixed(1), note: hookNotes.get(category) ?? '' }));
  const sentryCost = median(rounds.map((round) => perRequest(round, 'through-fastify+sentry') - perRequest(round, 'through-fastify')));
  const loadRange = `${Math.min(...loads.map(Number))}-${Math.max(...loads.map(Number))}`;
  const load = 'pipelined batches of 32 requests on one keep-alive connection';

  process.stdout.write(`\nHealth probes: server CPU per request (idle CPU taken out), ${rounds.length} interleaved rounds of ${SECONDS} s per server, ${load}; servers on core 1, load generator and database on core 0; load average ${loadRange}\n\n`);
  process.stdout.write(`${table(rows.map(serverRow))}\n\n`);
  process.stdout.write(`Where /health/live's CPU goes through Fastify (${PROFILE_SECONDS} s profiled; µs = share × ${throughFastify.toFixed(1)} µs measured above)\n\n${table(costRows)}\n`);
  process.stdout.write('Rate limiting, bulkheads, feature flags, idempotency and validation are Nest guards, interceptors and pipes: probes are plain Fastify routes and never run them; no CORS or security-header hook is installed.\n');
  process.stdout.write(`Error tracking (SENTRY_DSN set, traces off): +${sentryCost.toFixed(1)} µs per request through Fastify (median of per-round differences).\n\n`);
  process.stdout.write(`Readiness: ${pingsPerSecond.toFixed(2)} database pings/s while probed at full speed, ${roundsOverPingBound} of ${rounds.length} windows over the bound (at most one per HEALTH_CHECK_INTERVAL_MS = 1 s: floor(window) + 1 in a window; counted by health_check_duration_seconds_count)\n`);

  const ratioFigure = (name: string, label: string, note?: string): BenchFigure => {
    const ratio = median(ratios(name));
    const target = TARGETS[name];
    return {
      name: label,
      value: median(cpu(name)),
      unit: 'µs CPU/request',
      baseline: median(cpu('raw')),
      ratio,
      ...(target === undefined ? {} : { target: `>= ${target.toFixed(2)}`, met: ratio >= target }),
      note: `${note === undefined ? '' : `${note}; `}middle half of rounds ${middleHalf(name)}`,
    };
  };
  writeBenchReport({
    bench: 'health-probes',
    method: `Server CPU time per request (/proc, all threads) less its idle CPU, each server pinned to core 1, load generator (${load}, ${SECONDS} s per sample) and database on core 0; ${rounds.length} interleaved rounds, load average ${loadRange}; ratio = raw node:http CPU/request ÷ the probe's, median of per-round ratios; costs through Fastify from a --cpu-prof profile of ${PROFILE_SECONDS} s, share × CPU/request`,
    figures: [
      ratioFigure('live', '/health/live vs raw node:http', 'two processes of the service, their per-round ratios together'),
      ratioFigure('live-1', '/health/live vs raw node:http, first process'),
      ratioFigure('live-2', '/health/live vs raw node:http, second process'),
      ratioFigure('ready', '/health/ready vs raw node:http'),
      ratioFigure('through-fastify', '/health/live through Fastify vs raw node:http', 'the route behind the fast path: every hook, Fastify and Nest adapter'),
      ratioFigure('fastify', 'Fastify alone vs raw node:http', 'the floor of any Fastify route'),
      {
        name: 'readiness database pings',
        value: pingsPerSecond,
        unit: 'pings/s',
        target: '<= 1 per 1 s interval',
        met: roundsOverPingBound === 0,
        note: `met when no measured window saw more than one check per started interval (floor(seconds) + 1; a 2 s window can hold 3); ${roundsOverPingBound} of ${rounds.length} windows over`,
      },
      { name: 'error tracking (SENTRY_DSN set)', value: sentryCost, unit: 'µs CPU/request', note: 'through Fastify, traces off' },
      ...costRows.map((row) => ({ name: `through Fastify: ${row.part}`, value: Number(row['µs/request']), unit: 'µs CPU/request', note: `${row.share} of the profile${row.note === '' ? '' : `; ${row.note}`}` })),
    ],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
