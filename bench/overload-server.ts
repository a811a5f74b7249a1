/**
 * Child process of bench/overload.bench.ts: the real application (every module, hook and guard)
 * plus the bench-only CPU-bound route, on PORT, against DATABASE_URL (migrated here first).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config.loader';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { MigrationRunner } from '../src/database/migration-runner';
import { OverloadRoutesModule } from './overload-routes.module';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const url = config.database.url as string;
  const migrations = new DataSource(buildDataSourceOptions(config.database, url, { role: 'migration' }));
  await migrations.initialize();
  try {
    await new MigrationRunner(migrations, { log: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) }, config.database.migrations.lockWaitTimeoutMs).run();
  } finally {
    await migrations.destroy();
  }
  const app = await createApp(config, [OverloadRoutesModule]);
  await app.listen({ port: config.http.port, host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
