import type { INestApplication, LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

const DUPLICATE_SIGNAL_WINDOW_MS = 1_000;

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export interface GracefulShutdownOptions {
  /** Keep serving this long after readiness turns 503, so endpoints stop routing to us first. */
  drainMs: number;
  /** Exit anyway after this long; keep it under terminationGracePeriodSeconds. */
  timeoutMs: number;
  /** Turns readiness to 503 `shutting_down`. */
  markNotReady(): void;
  /** Run after the app closed (e.g. stopping the embedded database). */
  afterClose: ShutdownStep[];
}

/**
 * The drain sequence Kubernetes needs (and nestjs/terminus#2569 asks for): on SIGTERM readiness
 * fails at once, the server keeps serving through the drain period while endpoints are updated,
 * then stops accepting connections, finishes in-flight requests, closes the database pool and
 * Redis (Nest shutdown hooks), and exits 0. SIGINT (Ctrl-C at a terminal) skips the drain. A
 * second signal or the timeout forces exit 1.
 */
export function installGracefulShutdown(app: INestApplication, logger: LoggerService, options: GracefulShutdownOptions): void {
  let firstSignalAt: number | undefined;
  const phase = (message: string) => logger.log(message, 'Shutdown');

  const shutdown = async (signal: NodeJS.Signals) => {
    const startedAt = performance.now();
    options.markNotReady();
    phase(`${signal} received: readiness now answers 503 shutting_down`);
    if (signal === 'SIGTERM' && options.drainMs > 0) {
      phase(`Draining for ${options.drainMs} ms while endpoints stop routing here; still serving`);
      await sleep(options.drainMs);
    }
    phase('Closing the HTTP server: no new connections, waiting for in-flight requests; then database pool and Redis');
    await app.close();
    for (const step of options.afterClose) {
      await step.run();
      phase(`${step.name} stopped`);
    }
    phase(`Shutdown complete in ${Math.round(performance.now() - startedAt)} ms`);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      // Ctrl-C under `npm start` arrives twice at once: from the terminal and forwarded by npm.
      if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
      logger.warn(`Second ${signal} during shutdown: exiting now`, 'Shutdown');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    const forced = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${options.timeoutMs} ms: exiting`, 'Shutdown');
      process.exit(1);
    }, options.timeoutMs);
    forced.unref();
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.stack : String(error)}`, 'Shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
