import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { ComponentHealth } from '../health/component-health';
import { HealthCliModule } from '../health/health-cli.module';
import { DatabaseHealthIndicator } from '../health/indicators/database.health-indicator';
import { loadConfig } from '../config/config.loader';
import { createCliLogger } from '../common/cli-logger';
import { buildDataSourceOptions } from './data-source.options';
import { databaseTarget, withDatabaseUrl } from './database-session';
import { explainConnectionFailure } from './connection-failure';
import type { DatabaseConfig } from '../config/app-config';
import { withMigrationRunner } from './migration-runner';

/** `npm run db:status`: what on-call checks first when latency rises (runbook, "High Latency"). */
let databaseConfig: DatabaseConfig | undefined;

async function main(): Promise<number> {
  const config = loadConfig(process.env, { requireSecrets: false });
  databaseConfig = config.database;
  // First, before anything connects: which database this is about.
  process.stderr.write(`Target database: ${databaseTarget(config.database, 'app').description}\n`);
  const log = createCliLogger('db-status');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const sink = { log: (message: string) => log.info(message), warn: (message: string) => log.warn(message) };
  return withDatabaseUrl(config.database, sink, async (url) => {
    const dataSource = new DataSource(buildDataSourceOptions(config.database, url, { role: 'app', log: sink }));
    const connectStartedAt = performance.now();
    await dataSource.initialize();
    try {
      print(`connected:      yes (${Math.round(performance.now() - connectStartedAt)} ms)`);
      const ping = await readinessDatabaseCheck({ ...config, database: { ...config.database, url } });
      print(`readiness ping: ${ping.status}${ping.latencyMs !== undefined ? ` in ${ping.latencyMs} ms` : ''}${ping.error ? ` (${ping.error})` : ''}`);
      const [{ server_version: version }] = (await dataSource.query('SHOW server_version')) as Array<{ server_version: string }>;
      print(`server version: ${version}`);
      const [activity] = (await dataSource.query(
        `SELECT count(*) FILTER (WHERE application_name = $1) AS ours,
                count(*) FILTER (WHERE application_name = $1 AND state = 'active') AS ours_active,
                current_setting('max_connections')::int AS max_connections,
                count(*) AS total
           FROM pg_stat_activity WHERE datname = current_database()`,
        ['compliance-service'],
      )) as Array<{ ours: string; ours_active: string; max_connections: number; total: string }>;
      print(`connections:    ${activity.total} on this database (${activity.ours} from compliance-service, ${activity.ours_active} active), server max ${activity.max_connections}`);
      print(`pool size:      ${config.database.poolSize} per instance (DATABASE_POOL_SIZE)`);
      const pending = (await withMigrationRunner(config.database, url, sink, (runner) => runner.status())).filter((entry) => !entry.applied);
      print(`migrations:     ${pending.length === 0 ? 'all applied' : `${pending.length} pending (${pending.map((entry) => entry.name).join(', ')})`}`);
      return 0;
    } finally {
      await dataSource.destroy();
    }
  });
}

/** The same check the readiness probe runs (src/health), so the runbook and probes agree. */
async function readinessDatabaseCheck(config: AppConfig): Promise<ComponentHealth> {
  const context = await NestFactory.createApplicationContext(HealthCliModule.forRoot(config), { logger: ['error'] });
  try {
    return await context.get(DatabaseHealthIndicator).check();
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const reason = databaseConfig === undefined ? (error instanceof Error ? error.message : String(error)) : explainConnectionFailure(error, databaseConfig);
    process.stderr.write(`db:status failed: ${reason}\n`);
    process.exit(1);
  },
);
