import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import type { LogSink } from '../common/log-sink';
import { TypeOrmStructuredLogger } from './typeorm-structured.logger';

/** Marks connections in pg_stat_activity, so a DBA can tell our sessions apart. */
export const APPLICATION_NAME = 'compliance-service';

/**
 * Compiled code runs from dist/database with migrations in dist/migrations; under Jest the sources
 * run from src/database with migrations in the top-level migrations/ folder.
 */
export function migrationFilesGlob(): string {
  const compiled = __filename.endsWith('.js');
  return compiled ? join(__dirname, '..', 'migrations', '*.js') : join(__dirname, '..', '..', 'migrations', '*.ts');
}

export interface DataSourceRole {
  /** `app` serves requests; `migration` runs DDL with the guide's lock and statement timeouts. */
  role: 'app' | 'migration';
  /** Where TypeORM's own messages go; Nest's logger (pino in the app) when not given. */
  log?: LogSink;
}

/**
 * The one definition of how we connect to PostgreSQL, used by the Nest app, the migration runner,
 * the TypeORM CLI (ormconfig.ts) and the runbook commands.
 */
export function buildDataSourceOptions(config: DatabaseConfig, url: string, { role, log }: DataSourceRole): DataSourceOptions {
  const sessionSettings =
    role === 'migration'
      ? `-c lock_timeout=${config.migrations.lockTimeout} -c statement_timeout=${config.migrations.statementTimeout}`
      : `-c statement_timeout=${config.statementTimeoutMs}`;
  return {
    type: 'postgres',
    url,
    applicationName: APPLICATION_NAME,
    synchronize: false,
    migrationsRun: false,
    migrations: role === 'migration' ? [migrationFilesGlob()] : [],
    migrationsTableName: config.migrations.tableName,
    migrationsTransactionMode: 'each',
    entities: [],
    ssl: sslOption(config.ssl),
    poolSize: role === 'migration' ? 2 : config.poolSize,
    connectTimeoutMS: config.connectTimeoutMs,
    extra: { options: sessionSettings },
    installExtensions: false,
    logging: ['error', 'warn'],
    logger: new TypeOrmStructuredLogger(log),
  };
}

export function sslOption(mode: DatabaseConfig['ssl']): boolean | { rejectUnauthorized: boolean } {
  if (mode === 'disable') return false;
  // `require` encrypts without verifying the server certificate, like libpq's sslmode=require.
  return { rejectUnauthorized: mode === 'verify-full' };
}
