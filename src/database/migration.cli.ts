import { parseArgs } from 'node:util';
import { createCliLogger } from '../common/cli-logger';
import { ConfigValidationError, loadConfig } from '../config/config.loader';
import type { DatabaseConfig } from '../config/app-config';
import { explainConnectionFailure } from './connection-failure';
import { databaseTarget, withDatabaseUrl } from './database-session';
import { loadMigrations } from './migration-files';
import { lintMigrations } from './migration-lint';
import { withMigrationRunner } from './migration-runner';

const USAGE = `Usage: migration.cli <run|status|dry|down|rollback|lint> [--step N] [--to MIGRATION_NAME] [--allow-data-loss] [--embedded]
  run       apply pending migrations under an advisory lock (npm run migration:run / migrate:up)
  status    list migrations as applied or pending (npm run migrate:status)
  dry       print the SQL of every pending migration; changes nothing (npm run migrate:dry)
  down      revert the last --step migrations, default 1 (npm run migrate:down)
  rollback  revert until --to is the last applied migration (npm run migrate:rollback -- --to NAME)
  lint      run squawk over the up and down SQL of every migration (npm run migrate:lint)
  --allow-data-loss  let down/rollback drop or truncate tables that hold rows (refused otherwise)
  --embedded         let down/rollback act on the embedded database when DATABASE_URL is unset
The database acted on comes from MIGRATION_DATABASE_URL, else DATABASE_URL, else the embedded server.`;

/** Commands that destroy schema (and possibly data): they never act on a database by default. */
const DESTRUCTIVE_COMMANDS = new Set(['down', 'rollback']);

const log = createCliLogger('migration');
/** Kept for describing a failure once main() has read the configuration. */
let databaseConfig: DatabaseConfig | undefined;
const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      step: { type: 'string' },
      to: { type: 'string' },
      'allow-data-loss': { type: 'boolean' },
      embedded: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    print(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  const step = values.step ?? npmConfigOption('step', positionals[1]);
  // npm 11 expands a bare `--to` to its own `--token-description`: accept that spelling too.
  const rollbackTarget = values.to ?? npmConfigOption('to', positionals[1]) ?? npmConfigOption('token_description', positionals[1]);
  const allowDataLoss = values['allow-data-loss'] === true || npmConfigFlag('allow_data_loss');
  const embeddedConfirmed = values.embedded === true || npmConfigFlag('embedded');
  const config = loadConfig(process.env, { requireSecrets: false });
  databaseConfig = config.database;

  if (command === 'lint') {
    const { exitCode, report } = await lintMigrations(loadMigrations(), config.database.migrations);
    process.stdout.write(report);
    return exitCode;
  }

  // First, before anything connects: which database this command is about to act on.
  const target = databaseTarget(config.database, 'migration');
  process.stderr.write(`Target database: ${target.description}\n`);
  if (DESTRUCTIVE_COMMANDS.has(command) && target.source === 'embedded' && !embeddedConfirmed) {
    throw new UsageError(`${command} would act on the embedded database because DATABASE_URL is not set. Set DATABASE_URL, or pass --embedded if the embedded database is what you mean.`);
  }

  const sink = { log: (message: string) => log.info(message), warn: (message: string) => log.warn(message) };
  return withDatabaseUrl(config.database, sink, (url) =>
    withMigrationRunner(config.database, url, sink, async (runner) => {
      switch (command) {
        case 'run': {
          const applied = await runner.run();
          print(applied.length === 0 ? 'Schema is up to date' : `Applied ${applied.length}: ${applied.join(', ')}`);
          return 0;
        }
        case 'status': {
          for (const entry of await runner.status()) print(`${entry.applied ? '[applied]' : '[pending]'} ${entry.name}`);
          return 0;
        }
        case 'dry': {
          const pending = await runner.dryRun();
          if (pending.length === 0) print('-- No pending migrations');
          for (const migration of pending) {
            print(`-- ${migration.name}${migration.transaction ? '' : ' (runs outside a transaction)'}`);
            for (const sql of migration.sql) print(`${sql.replace(/;?\s*$/, '')};`);
          }
          return 0;
        }
        case 'down': {
          const steps = step === undefined ? 1 : Number.parseInt(step, 10);
          if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`--step must be a positive whole number, got ${step}`);
          const reverted = await runner.revert(steps, { allowDataLoss });
          print(reverted.length === 0 ? 'Nothing to revert' : `Reverted ${reverted.length}: ${reverted.join(', ')}`);
          return 0;
        }
        case 'rollback': {
          if (rollbackTarget === undefined) throw new UsageError('rollback needs --to MIGRATION_NAME (see npm run migrate:status)');
          const reverted = await runner.revertTo(rollbackTarget, { allowDataLoss });
          print(reverted.length === 0 ? `${rollbackTarget} is already the last applied migration` : `Reverted ${reverted.length}: ${reverted.join(', ')}`);
          return 0;
        }
        default:
          throw new UsageError(`Unknown command ${command}`);
      }
    }),
    'migration',
  );
}

class UsageError extends Error {}

/** `npm run migrate:down --allow-data-loss` (without `--`) reaches us as npm_config_allow_data_loss=true. */
function npmConfigFlag(name: string): boolean {
  return process.env[`npm_config_${name}`] === 'true';
}

/**
 * The guide writes `npm run migrate:down --step 1` and `npm run migrate:rollback --to NAME`,
 * without `--`. npm then keeps the option for itself: `--to=NAME` arrives as npm_config_to=NAME,
 * and `--to NAME` as npm_config_to=true with NAME passed on as a plain argument.
 */
function npmConfigOption(name: string, nextArgument: string | undefined): string | undefined {
  const value = process.env[`npm_config_${name}`];
  if (value === undefined) return undefined;
  return value === 'true' ? nextArgument : value;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigValidationError || error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${error instanceof UsageError ? USAGE : ''}\n`);
      process.exit(2);
    }
    log.error({ err: error }, `Migration command failed: ${describeFailure(error)}`);
    process.stderr.write(`Migration command failed: ${describeFailure(error)}\n`);
    process.exit(1);
  },
);

/** Turns PostgreSQL's timeout errors into what an operator should do about them. */
function describeFailure(error: unknown): string {
  const message = databaseConfig === undefined ? (error instanceof Error ? error.message : String(error)) : explainConnectionFailure(error, databaseConfig);
  if (/lock timeout/i.test(message)) {
    return `${message}: a lock was not granted within lock_timeout; another session holds a lock on a table this migration changes. Find it in pg_locks/pg_stat_activity, then retry.`;
  }
  if (/statement timeout/i.test(message)) {
    return `${message}: a statement ran longer than statement_timeout; split the migration or raise MIGRATION_STATEMENT_TIMEOUT for this run.`;
  }
  return message;
}
