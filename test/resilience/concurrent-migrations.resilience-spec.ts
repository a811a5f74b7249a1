import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { MIGRATION_LOCK_KEY } from '../../src/database/migration-runner';
import { ROOT, runCompiled } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { countRows } from '../helpers/sanctions-lists';
import { ServiceProcess } from '../helpers/service-process';
import { scratchDatabase } from '../helpers/test-database';

const MIGRATION_CLI = 'database/migration.cli.js';
const MIGRATION_COUNT = readdirSync(join(ROOT, 'migrations')).filter((file) => /^\d+-\w+\.ts$/.test(file)).length;
/** The killed run has applied this many when the SIGKILL is sent: mid-run, with more to go. */
const KILL_AFTER = 10;

const migrate = (url: string) => runCompiled(MIGRATION_CLI, ['run'], { DATABASE_URL: url, LOG_LEVEL: 'info' });

/** Each recorded migration with how often it is recorded. */
const recordedTwice = (url: string) => countRows(url, 'SELECT count(*) FROM (SELECT name FROM migrations GROUP BY name HAVING count(*) > 1) AS twice');
const recorded = (url: string) => countRows(url, 'SELECT count(*) FROM migrations');
/** What an interrupted CREATE INDEX CONCURRENTLY leaves behind. */
const invalidIndexes = (url: string) => countRows(url, 'SELECT count(*) FROM pg_index WHERE NOT indisvalid');

describe('concurrent migrations (npm run migration:run from many pods at once)', () => {
  const drops: Array<() => Promise<void>> = [];
  const started: ServiceProcess[] = [];

  afterAll(async () => {
    for (const run of started) run.kill('SIGKILL');
    await Promise.all(drops.map((drop) => drop()));
  });

  const freshDatabase = async (purpose: string): Promise<string> => {
    const database = await scratchDatabase(purpose);
    drops.push(database.drop);
    return database.url;
  };

  it('lets 10 parallel runs on a fresh database all exit 0, recording each migration once', async () => {
    const url = await freshDatabase('migrate_parallel');
    const runs = await Promise.all(Array.from({ length: 10 }, () => migrate(url)));
    expect(runs.map((run) => (run.code === 0 ? 0 : `${run.code}: ${run.stderr}`))).toEqual(Array(10).fill(0));
    expect(await recorded(url)).toBe(MIGRATION_COUNT);
    expect(await recordedTwice(url)).toBe(0);
    expect(runs.filter((run) => run.stdout.includes(`Applied ${MIGRATION_COUNT}`))).toHaveLength(1);
  });

  it('completes the schema with the waiting run after the lock holder is SIGKILLed mid-run', async () => {
    const url = await freshDatabase('migrate_killed');
    // The test holds the migration lock first, so both runs are seen waiting before either migrates.
    const gate = new Client({ connectionString: url });
    await gate.connect();
    await gate.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    // The compiled CLI as its own process, the way a pod runs it; ServiceProcess gives its output and a kill.
    const runs = [0, 1].map(() => new ServiceProcess({ DATABASE_URL: url, LOG_LEVEL: 'info' }, { args: [join(ROOT, 'dist', MIGRATION_CLI), 'run'] }));
    started.push(...runs);
    const says = (run: ServiceProcess, text: string) => run.output.join('').includes(text);
    await eventually(async () => (runs.every((run) => says(run, 'Another instance is migrating')) ? true : undefined), 60_000, 'both runs wait for the lock');
    await gate.end();

    const progress = `(${KILL_AFTER}/${MIGRATION_COUNT})`;
    const victim = await eventually(async () => runs.find((run) => says(run, progress)), 60_000, `a run applies ${KILL_AFTER} migrations`);
    victim.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const appliedByVictim = await recorded(url);
    // The progress line comes after a migration's `up`, before its record commits.
    expect(appliedByVictim).toBeGreaterThanOrEqual(KILL_AFTER - 1);
    expect(appliedByVictim).toBeLessThan(MIGRATION_COUNT);

    const survivor = runs.find((run) => run !== victim) as ServiceProcess;
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
    expect(survivor.output.join('')).toContain('Got the migration lock');
    expect(await recorded(url)).toBe(MIGRATION_COUNT);
    expect(await recordedTwice(url)).toBe(0);
    expect(await invalidIndexes(url)).toBe(0);
    const again = await migrate(url);
    expect({ code: again.code, upToDate: again.stdout.includes('Schema is up to date') }).toEqual({ code: 0, upToDate: true });
  });
});
