import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { createCliLogger } from './common/cli-logger';
import type { LogSink } from './common/log-sink';
import type { AppConfig } from './config/app-config';
import { ConfigValidationError, loadConfig } from './config/config.loader';
import { embeddedDatabaseFor } from './database/database-session';
import { withMigrationRunner } from './database/migration-runner';
import { ReadinessService } from './health/readiness.service';
import { installGracefulShutdown, type ShutdownStep } from './lifecycle/graceful-shutdown';

async function bootstrap(): Promise<void> {
  const startedAt = performance.now();
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`compliance-service cannot start. ${error.message}\n`);
    process.exit(1);
  }
  const bootLog = createCliLogger('bootstrap', config.logLevel);
  const log = { log: (message: string) => bootLog.info(message), warn: (message: string) => bootLog.warn(message) };

  const afterClose: ShutdownStep[] = [];
  const embedded = embeddedDatabaseFor(config.database, log);
  if (embedded !== undefined) {
    const url = await embedded.start();
    afterClose.push({ name: 'Embedded PostgreSQL', run: () => embedded.stop() });
    config = { ...config, database: { ...config.database, url } };
    await migrateEmbeddedDatabase(config, url, log);
  }

  const app = await createApp(config);
  const logger = app.get(Logger);
  const readiness = app.get(ReadinessService);
  installGracefulShutdown(app, logger, {
    drainMs: config.shutdown.drainMs,
    timeoutMs: config.shutdown.timeoutMs,
    markNotReady: () => readiness.markShuttingDown(),
    afterClose,
  });
  await app.listen({ port: config.http.port, host: config.http.host });
  logger.log(
    `compliance-service ${config.version} (${config.environment}) listening on ${config.http.host}:${config.http.port} after ${Math.round(performance.now() - startedAt)} ms`,
    'Bootstrap',
  );
}

/** Deployments migrate in an init container; the zero-config local run migrates itself. */
async function migrateEmbeddedDatabase(config: AppConfig, url: string, log: LogSink): Promise<void> {
  await withMigrationRunner(config.database, url, log, (runner) => runner.run());
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`compliance-service failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
