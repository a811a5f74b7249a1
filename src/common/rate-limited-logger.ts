import type { LoggerService } from '@nestjs/common';

interface Window {
  lastLoggedAt: number;
  suppressed: number;
}

/**
 * Logs an event that can repeat thousands of times a second (a shed request, a refused bulkhead
 * call, a failed Redis reconnect) at most once per interval per key, carrying how many of the same
 * key were suppressed since the previous line. Metrics count every occurrence; the log only has to
 * say that it is happening. Keys must come from a bounded set (reasons, pools), not from requests.
 */
export class RateLimitedLogger {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: Pick<LoggerService, 'warn' | 'log'>,
    private readonly intervalMs = 1_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(key: string, message: string, fields: Record<string, unknown> = {}): void {
    this.emit('warn', key, message, fields);
  }

  log(key: string, message: string, fields: Record<string, unknown> = {}): void {
    this.emit('log', key, message, fields);
  }

  private emit(level: 'warn' | 'log', key: string, message: string, fields: Record<string, unknown>): void {
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && now - window.lastLoggedAt < this.intervalMs) {
      window.suppressed += 1;
      return;
    }
    const suppressed = window?.suppressed ?? 0;
    const repeated = suppressed > 0 ? ` (${suppressed} more since the previous line)` : '';
    // nestjs-pino reads (object, message): the fields become fields of the line.
    this.logger[level]({ ...fields, key, suppressed }, `${message}${repeated}`);
    this.windows.set(key, { lastLoggedAt: now, suppressed: 0 });
  }
}
