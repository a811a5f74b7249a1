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
  const sessionSettings: Record<string, string> =
    role === 'migration'
      ? { lock_timeout: config.migrations.lockTimeout, statement_timeout: config.migrations.statementTimeout }
      : { statement_timeout: String(config.statementTimeoutMs) };
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
    ssl: sslOption(config),
    poolSize: role === 'migration' ? 2 : config.poolSize,
    connectTimeoutMS: config.connectTimeoutMs,
    extra: { options: libpqOptions(sessionSettings) },
    installExtensions: false,
    logging: ['error', 'warn'],
    logger: new TypeOrmStructuredLogger(log),
  };
}

/**
 * `require` encrypts without verifying the server certificate, like libpq's sslmode=require: it
 * stops eavesdroppers, not an impostor. `verify-full` checks the chain against the configured CA
 * bundle only (not Node's public list) and the host name or IP against the certificate, which
 * Node's TLS does whenever `rejectUnauthorized` is on.
 */
export function sslOption(config: DatabaseConfig): false | { rejectUnauthorized: false } | { rejectUnauthorized: true; ca: string } {
  if (config.ssl === 'disable') return false;
  if (config.ssl === 'require') return { rejectUnauthorized: false };
  if (config.sslCa === undefined) throw new Error('DATABASE_SSL=verify-full without a CA bundle (DATABASE_SSL_CA_FILE)');
  return { rejectUnauthorized: true, ca: config.sslCa.pem };
}

/**
 * libpq's `options` startup parameter: `-c name=value` pairs separated by spaces, where a space or
 * backslash inside a value must be escaped with a backslash (PostgreSQL docs, libpq "options").
 */
export function libpqOptions(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value.replace(/[\\ ]/g, (character) => `\\${character}`)}`)
    .join(' ');
}
