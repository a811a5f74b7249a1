import type { DestinationStream } from 'pino';
import type { LogDestination } from '../../src/logging/log-destination';

export interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  [field: string]: unknown;
}

/**
 * Stands in for the app's LogDestination, keeping every line the real logger writes. nestjs-pino
 * builds one root logger per process (the first app's), so a test file gives all its apps the same
 * instance and calls `clear()` between tests.
 */
export class CapturedLogs implements DestinationStream, LogDestination {
  private chunks: string[] = [];

  get stream(): DestinationStream {
    return this;
  }

  write(chunk: string): void {
    this.chunks.push(chunk);
  }

  clear(): void {
    this.chunks = [];
  }

  /** Everything written, byte for byte: what a secret must never be found in. */
  get text(): string {
    return this.chunks.join('');
  }

  get lines(): LogLine[] {
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  }
}
