import type { LogSink } from '../common/log-sink';
import type { DatabaseConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';

export const EMBEDDED_DATABASE_NAME = 'compliance';


/** The embedded server for a configuration without DATABASE_URL; undefined when a URL is set. */
export function embeddedDatabaseFor(config: DatabaseConfig, log: LogSink): EmbeddedDatabase | undefined {
  if (config.url !== undefined) return undefined;
  return new EmbeddedDatabase({ ...config.embedded, databaseName: EMBEDDED_DATABASE_NAME }, log);
}

/**
 * Runs `work` against the configured database; with no DATABASE_URL, against the embedded server,
 * started for the duration of the call, so every command works in a zero-config checkout.
 */
export async function withDatabaseUrl<T>(config: DatabaseConfig, log: LogSink, work: (url: string) => Promise<T>): Promise<T> {
  const embedded = embeddedDatabaseFor(config, log);
  if (embedded === undefined) return work(config.url as string);
  const url = await embedded.start();
  try {
    return await work(url);
  } finally {
    await embedded.stop();
  }
}
