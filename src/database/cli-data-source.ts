import { DataSource } from 'typeorm';
import type { LogSink } from '../common/log-sink';
import type { DatabaseConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source.options';
import { databaseTarget, withDatabaseUrl } from './database-session';

/**
 * Runs a command-line tool's `work` on an initialised DataSource of the configured database (the
 * embedded one without DATABASE_URL), as the login role: outside row-level security, across
 * tenants. Names the database it acts on first, without the password.
 */
export function withCliDataSource<T>(config: DatabaseConfig, log: LogSink, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  // Like the migration commands: the operator sees where it acts before anything happens.
  process.stderr.write(`Target database: ${databaseTarget(config, 'app').description}\n`);
  return withDatabaseUrl(config, log, async (url) => {
    const dataSource = new DataSource(buildDataSourceOptions(config, url, { role: 'app', log }));
    await dataSource.initialize();
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  });
}
