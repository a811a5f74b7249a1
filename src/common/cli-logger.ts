import pino, { type Logger } from 'pino';

/**
 * JSON logs for the command-line tools (migrations, runbook commands). They go to stderr so that
 * stdout carries only the command's result (a status table, SQL), which scripts can read.
 */
export function createCliLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: 'compliance-service' } }, pino.destination(2));
}
