// First: the error tracking SDK instruments pg and http as they load (see the module).
import './error-tracking/instrument';
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { createCliLogger } from './common/cli-logger';
import type { LogSink } from './common/log-sink';
import type { AppConfig } from './config/app-config';
import { ConfigValidationError, loadConfig } from './config/config.loader';
import { closeErrorTracking } from './error-tracking/error-tracking.init';
import { explainConnectionFailure } from './database/connection-failure';
import { embeddedDatabaseFor } from './database/database-session';
import { withMigrationRunner } from './database/migration-runner';
import { ReadinessService } from './health/readiness.service';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { StartupCleanup } from './lifecycle/startup-cleanup';

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

  const cleanup = new StartupCleanup(log);
  // First added, so run last (newest first): what the other steps report is still sent.
  if (config.errorTracking.dsn !== undefined) cleanup.add({ name: 'Error tracking', run: closeErrorTracking });
  let app: NestFastifyApplication | undefined;
  try {
    const embedded = embeddedDatabaseFor(config.database, log);
    if (embedded !== undefined) {
      // Registered before start(): a signal during start stops the server process it spawned.
      cleanup.add({ name: 'Embedded PostgreSQL', run: () => embedded.stop() });
      const url = await embedded.start();
      config = { ...config, database: { ...config.database, url } };
      await migrateEmbeddedDatabase(config, url, log);
    }

    app = await createApp(config);
    const logger = app.get(Logger);
    const readiness = app.get(ReadinessService);
    installGracefulShutdown(app, logger, {
      drainMs: config.shutdown.drainMs,
      timeoutMs: config.shutdown.timeoutMs,
      markNotReady: () => readiness.markShuttingDown(),
      afterClose: cleanup.handOver(),
    });
    await app.listen({ port: config.http.port, host: config.http.host });
    logger.log(
      `compliance-service ${config.version} (${config.environment}) listening on ${config.http.host}:${config.http.port} after ${Math.round(performance.now() - startedAt)} ms`,
      'Bootstrap',
    );
  } catch (error) {
    process.stderr.write(`compliance-service failed to start: ${describeStartFailure(error, config)}\n`);
    // Closing a half-started app or the embedded server can wait on the very thing that failed;
    // a failed start still exits, within the shutdown deadline.
    setTimeout(() => process.exit(1), config.shutdown.timeoutMs).unref();
    await app?.close().catch(() => undefined);
    await cleanup.runAll();
    process.exit(1);
  }
}

/** Deployments migrate in an init container; the zero-config local run migrates itself. */
async function migrateEmbeddedDatabase(config: AppConfig, url: string, log: LogSink): Promise<void> {
  await withMigrationRunner(config.database, url, log, (runner) => runner.run());
}

/** The stack, preceded by what a TLS verification failure means for the operator. */
function describeStartFailure(error: unknown, config: AppConfig): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof Error ? (error.stack ?? message) : message;
  const explained = explainConnectionFailure(error, config.database);
  return explained === message ? detail : `${explained}\n${detail}`;
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`compliance-service failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
