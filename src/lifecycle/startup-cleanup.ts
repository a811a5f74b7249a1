import { constants } from 'node:os';
import type { LogSink } from '../common/log-sink';
import type { ShutdownStep } from './graceful-shutdown';

/**
 * What start-up has started (the embedded PostgreSQL) must be stopped on every way out until the
 * graceful shutdown takes over: a failed migration, a failed boot, or a signal that arrives before
 * the shutdown handlers are installed (Node's default for SIGTERM/SIGINT exits at once, which would
 * orphan the server with its port and data folder).
 */
export class StartupCleanup {
  private readonly steps: ShutdownStep[] = [];
  private readonly onSignal = (signal: NodeJS.Signals) => void this.exitOnSignal(signal);
  private running: Promise<void> | undefined;

  constructor(private readonly log: LogSink) {
    process.on('SIGTERM', this.onSignal);
    process.on('SIGINT', this.onSignal);
  }

  add(step: ShutdownStep): void {
    this.steps.push(step);
  }

  /** The graceful shutdown is installed: signals are its business from now on; the steps stay with it. */
  handOver(): ShutdownStep[] {
    process.removeListener('SIGTERM', this.onSignal);
    process.removeListener('SIGINT', this.onSignal);
    return [...this.steps];
  }

  /** Runs every step, newest first, once; a failing step is logged and does not stop the others. */
  runAll(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
          this.log.log(`${step.name} stopped`);
        } catch (error) {
          this.log.warn(`${step.name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  private async exitOnSignal(signal: NodeJS.Signals): Promise<void> {
    this.log.warn(`${signal} during start-up: stopping what was started, then exiting`);
    await this.runAll();
    // The exit status a shell reports for a process killed by the signal (130, 143).
    process.exit(128 + constants.signals[signal]);
  }
}
