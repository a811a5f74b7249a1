/** The two log levels our start-up and command-line code needs; pino, Nest's Logger or a test can provide it. */
export interface LogSink {
  log(message: string): void;
  warn(message: string): void;
}
