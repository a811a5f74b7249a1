import type { LogSink } from '../common/log-sink';
import type { DatabaseConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';

export const EMBEDDED_DATABASE_NAME = 'compliance';

/** Which connection a command needs: migrations hold a session-level advisory lock. */
export type DatabasePurpose = 'app' | 'migration';

/** The database a command will act on, as an operator should see it before anything happens. */
export interface DatabaseTarget {
  /** `DATABASE_URL`, `MIGRATION_DATABASE_URL` or the embedded server. */
  source: 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' | 'embedded';
  /** host:port/database (user), never the password. */
  description: string;
}

/** The embedded server for a configuration without DATABASE_URL; undefined when a URL is set. */
export function embeddedDatabaseFor(config: DatabaseConfig, log: LogSink): EmbeddedDatabase | undefined {
  if (config.url !== undefined) return undefined;
  return new EmbeddedDatabase({ ...config.embedded, databaseName: EMBEDDED_DATABASE_NAME }, log);
}

/**
 * The configured URL for `purpose`. Migrations prefer MIGRATION_DATABASE_URL: behind a transaction
 * pooler (PgBouncer transaction mode, RDS Proxy) DATABASE_URL gives each statement whichever server
 * session is free, and the migration lock is a session-level advisory lock.
 */
export function configuredUrl(config: DatabaseConfig, purpose: DatabasePurpose): { url: string; source: 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' } | undefined {
  if (purpose === 'migration' && config.migrationUrl !== undefined) return { url: config.migrationUrl, source: 'MIGRATION_DATABASE_URL' };
  if (config.url !== undefined) return { url: config.url, source: 'DATABASE_URL' };
  return undefined;
}

export function databaseTarget(config: DatabaseConfig, purpose: DatabasePurpose): DatabaseTarget {
  const configured = configuredUrl(config, purpose);
  if (configured === undefined) {
    return {
      source: 'embedded',
      description: `embedded PostgreSQL 127.0.0.1:${config.embedded.port}/${EMBEDDED_DATABASE_NAME} (data in ${config.embedded.dataDir}; DATABASE_URL is not set)`,
    };
  }
  return { source: configured.source, description: `${describeUrl(configured.url)} (from ${configured.source})` };
}

/** host:port/database and the user; the password never leaves the URL. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username === '' ? '' : ` as ${decodeURIComponent(parsed.username)}`;
  return `${parsed.hostname}:${parsed.port || '5432'}${decodeURIComponent(parsed.pathname) || '/'}${user}`;
}

/**
 * Runs `work` against the configured database; with no DATABASE_URL, against the embedded server,
 * started for the duration of the call, so every command works in a zero-config checkout.
 */
export async function withDatabaseUrl<T>(config: DatabaseConfig, log: LogSink, work: (url: string) => Promise<T>, purpose: DatabasePurpose = 'app'): Promise<T> {
  const configured = configuredUrl(config, purpose);
  if (configured !== undefined) return work(configured.url);
  const embedded = embeddedDatabaseFor(config, log) as EmbeddedDatabase;
  const url = await embedded.start();
  try {
    return await work(url);
  } finally {
    await embedded.stop();
  }
}
