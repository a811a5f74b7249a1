import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { LogSink } from '../common/log-sink';
import { toLoggableError } from '../common/loggable-error';

/**
 * Routes TypeORM's messages into our structured logs (by default Nest's logger, which the app
 * points at pino) instead of its own console output. Query parameters are never logged: they
 * carry personal data (names screened, tax ids) and secrets.
 */
export class TypeOrmStructuredLogger implements TypeOrmLogger {
  constructor(private readonly sink: LogSink = new NestLogger('TypeORM')) {}

  logQuery(): void {
    // Per-query logging is off: query timings go to the metrics module's histogram instead.
  }

  /**
   * The server's message can quote a value of the row or a parameter (22P02 `invalid input syntax
   * for type uuid: "…"`), so the line names the condition and SQLSTATE instead; the query text is
   * ours, with placeholders for every value.
   */
  logQueryError(error: string | Error, query: string): void {
    const { type, message, code } = toLoggableError(error);
    this.sink.warn(`Query failed: ${type}: ${message}${code === undefined ? '' : ` (${code})`} (${oneLine(query)})`);
  }

  logQuerySlow(time: number, query: string): void {
    this.sink.warn(`Slow query (${time} ms): ${oneLine(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.sink.log(message);
  }

  logMigration(message: string): void {
    this.sink.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? message.message : String(message);
    if (level === 'warn') this.sink.warn(text);
    else this.sink.log(text);
  }
}

function oneLine(query: string): string {
  const compact = query.replace(/\s+/g, ' ').trim();
  return compact.length > 500 ? `${compact.slice(0, 500)}…` : compact;
}
