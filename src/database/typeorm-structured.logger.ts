import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { LogSink } from '../common/log-sink';


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

  logQueryError(error: string | Error, query: string): void {
    this.sink.warn(`Query failed: ${error instanceof Error ? error.message : error} (${oneLine(query)})`);
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
