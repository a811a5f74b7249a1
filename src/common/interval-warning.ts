import type { Logger } from '@nestjs/common';

/**
 * A warning about a condition that repeats on every request (a dependency is down) is logged at
 * most once per interval, with how often it recurred meanwhile, so an outage cannot flood the logs.
 */
export class IntervalWarning {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const repeated = this.suppressed > 0 ? ` (${this.suppressed} more since the last warning)` : '';
    this.logger.warn(`${message}${repeated}`);
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }

  /** Logs the recovery once, only if a warning was logged since the last recovery. */
  recovered(message: string): void {
    if (this.lastLoggedAt === Number.NEGATIVE_INFINITY) return;
    this.logger.log(message);
    this.lastLoggedAt = Number.NEGATIVE_INFINITY;
    this.suppressed = 0;
  }
}
