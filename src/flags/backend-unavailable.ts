/** Network failures reaching a backend (Node's system error codes). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * PostgreSQL SQLSTATEs meaning "not available right now" (class 08 connection exception;
 * 57P01-57P03 shutting down / cannot connect now; 53300 too many connections).
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** node-postgres and its pool report these without a code. */
const UNCODED_CONNECTION_FAILURES = [/^Connection terminated/, /^timeout exceeded when trying to connect$/, /^Client has encountered a connection error/];

/**
 * True when `error` says the backend could not be reached, the one failure a client may retry (503);
 * anything else (a constraint, a bug, a missing table) is ours to fix (500). TypeORM wraps driver
 * errors (QueryFailedError.driverError) and Node wraps dual-stack connect failures (AggregateError).
 */
export function isBackendUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = codeOf(error);
  if (code !== undefined && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (code === undefined && UNCODED_CONNECTION_FAILURES.some((pattern) => pattern.test(error.message))) return true;
  const nested = [(error as { driverError?: unknown }).driverError, error.cause, ...(error instanceof AggregateError ? error.errors : [])];
  return nested.some((inner) => isBackendUnavailable(inner, depth + 1));
}

/** The error's code (SQLSTATE or Node's), safe to log: it never carries values. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
