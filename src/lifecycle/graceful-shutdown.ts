import type { INestApplication, LoggerService } from '@nestjs/common';

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

/**
 * On SIGTERM/SIGINT: close the app (HTTP server, then module shutdown hooks: database pool, Redis),
 * run the extra steps (the embedded database), exit 0. A second signal, or the timeout, forces exit.
 */
export function installGracefulShutdown(
  app: INestApplication,
  logger: LoggerService,
  options: { timeoutMs: number; afterClose: ShutdownStep[] },
): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn(`Second ${signal} during shutdown: exiting now`, 'Shutdown');
      process.exit(1);
    }
    shuttingDown = true;
    logger.log(`${signal} received: shutting down`, 'Shutdown');
    const forced = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${options.timeoutMs} ms: exiting`, 'Shutdown');
      process.exit(1);
    }, options.timeoutMs);
    forced.unref();
    void (async () => {
      await app.close();
      logger.log('HTTP server and connections closed', 'Shutdown');
      for (const step of options.afterClose) {
        await step.run();
        logger.log(`${step.name} stopped`, 'Shutdown');
      }
      logger.log('Shutdown complete', 'Shutdown');
      process.exit(0);
    })().catch((error: unknown) => {
      logger.error(`Shutdown failed: ${String(error)}`, 'Shutdown');
      process.exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
