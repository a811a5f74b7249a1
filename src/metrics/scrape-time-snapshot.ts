import { Logger } from '@nestjs/common';
import { RateLimitedLogger } from '../common/rate-limited-logger';
import { toLoggableError } from '../common/loggable-error';

/**
 * A database read behind the gauges of one area, made at scrape time (as the job gauges are, see
 * jobs/job-status.reader.ts) so every instance reports the same database-wide values with no timer
 * of its own. Scrapes within `ttlMs` share one read, however many gauges ask. A failed read gives
 * undefined (the gauges keep their values) and is logged at most once a minute: a scrape never
 * fails because of it.
 */
export class ScrapeTimeSnapshot<T> {
  private static readonly errorLog = new RateLimitedLogger(new Logger('Metrics'), 60_000);
  private cached: { at: number; value: Promise<T | undefined> } | undefined;

  constructor(
    private readonly what: string,
    private readonly read: () => Promise<T>,
    private readonly ttlMs = 1_000,
  ) {}

  value(): Promise<T | undefined> {
    const now = performance.now();
    if (this.cached === undefined || now - this.cached.at > this.ttlMs) this.cached = { at: now, value: this.readLogged() };
    return this.cached.value;
  }

  private async readLogged(): Promise<T | undefined> {
    try {
      return await this.read();
    } catch (error) {
      const loggable = toLoggableError(error);
      ScrapeTimeSnapshot.errorLog.warn(this.what, `Cannot read ${this.what} for metrics: ${loggable.message}`, { err: loggable });
      return undefined;
    }
  }
}
