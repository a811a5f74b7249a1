/**
 * `migration:run` on an empty database: wall time of `node dist/database/migration.cli.js run`, the
 * command the init container runs. Baseline, in interleaved rounds: the same command on a database
 * that is already migrated — Node start-up, loading the CLI and TypeORM, connecting, taking the
 * advisory lock and finding nothing pending. Their difference is what applying the migrations costs.
 * Creating and dropping the empty databases is not timed. Needs PostgreSQL (TEST_DATABASE_URL).
 */
import { Client } from 'pg';
import { runCompiled } from '../test/helpers/cli';
import { quickOr, writeBenchReport } from './bench-report';
import { interleavedRounds, median, migrateDatabase, table, withScratchDatabase } from './bench-support';

const RUNS = Number(process.env.BENCH_RUNS ?? quickOr(7, 2));

/** Wall time of one `migration:run` against `databaseUrl`; throws when it fails. */
async function migrationRun(databaseUrl: string): Promise<number> {
  const startedAt = performance.now();
  const result = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' });
  const elapsed = performance.now() - startedAt;
  if (result.code !== 0) throw new Error(`migration:run exited with ${result.code}: ${result.stderr.slice(-500)}`);
  return elapsed;
}

async function appliedMigrations(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>('SELECT count(*) FROM migrations')).rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  let migrations = 0;
  const runs = await withScratchDatabase('compliance_bench_migrated', async (migratedUrl) => {
    migrateDatabase(migratedUrl);
    return interleavedRounds(
      RUNS,
      () => withScratchDatabase('compliance_bench_empty', async (emptyUrl) => {
        const elapsed = await migrationRun(emptyUrl);
        migrations = await appliedMigrations(emptyUrl);
        return elapsed;
      }),
      () => migrationRun(migratedUrl),
    );
  });
  const [empty, nothingToDo] = [median(runs.candidate), median(runs.baseline)];
  const ratio = median(runs.candidate.map((run, index) => run / (runs.baseline[index] ?? Number.NaN)));
  const applying = median(runs.candidate.map((run, index) => run - (runs.baseline[index] ?? Number.NaN)));
  process.stdout.write(`\nmigration:run, ${RUNS} interleaved rounds after one warm-up round (medians)\n\n${table([
    { case: `empty database (${migrations} migrations)`, 'wall ms': Math.round(empty) },
    { case: 'baseline: migrated database, nothing to do', 'wall ms': Math.round(nothingToDo) },
    { case: 'applying the migrations (per-round difference)', 'wall ms': Math.round(applying) },
  ])}\n`);
  writeBenchReport({
    bench: 'migrations',
    method: `${RUNS} interleaved rounds (after one warm-up round, order alternating) of \`node dist/database/migration.cli.js run\` on a new empty database and on a database already migrated (nothing to do); wall time of the process; medians, ratio = median of per-round ratios`,
    figures: [
      { name: `migration:run on an empty database (${migrations} migrations)`, value: Math.round(empty), unit: 'ms', baseline: Math.round(nothingToDo), ratio: Number(ratio.toFixed(2)), note: 'baseline: the same command on a migrated database (start-up, connect, lock, nothing pending)' },
      { name: 'applying the migrations (per-round difference from the baseline)', value: Math.round(applying), unit: 'ms' },
    ],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
