import { codeOf, isBackendUnavailable } from '../flags/backend-unavailable';

/** A failure of the database, not of the request or our code: the client may retry (503). */
export interface DatabaseUnavailability {
  code: 'DATABASE.UNAVAILABLE' | 'DATABASE.TIMEOUT';
  detail: string;
  retryAfterSeconds: number;
}

/** SQLSTATE query_canceled: what statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS) raises. */
const QUERY_CANCELED = '57014';

const UNAVAILABLE: DatabaseUnavailability = {
  code: 'DATABASE.UNAVAILABLE',
  detail: 'The database is unreachable right now. Try again shortly (a write with the same Idempotency-Key).',
  // About as long as readiness takes to report the outage and endpoints to stop routing here.
  retryAfterSeconds: 5,
};

const TIMED_OUT: DatabaseUnavailability = {
  code: 'DATABASE.TIMEOUT',
  detail: 'The database did not finish this request within the statement timeout (it may be waiting for a lock). Try again shortly.',
  retryAfterSeconds: 1,
};

/**
 * Says whether `error` means "the database cannot serve us now": the connection was refused, reset
 * or timed out while acquiring it (node-postgres and pg-pool raise these without a SQLSTATE, and
 * TypeORM passes them through unwrapped), the server is shutting down, or the statement ran into
 * the statement timeout. Every request that needs the database fails this way during an outage;
 * answering 500 would tell clients (and the 5xx-rate alert) that our code is broken.
 */
export function databaseUnavailabilityOf(error: unknown): DatabaseUnavailability | undefined {
  if (isBackendUnavailable(error)) return UNAVAILABLE;
  const driverError = (error as { driverError?: unknown } | null)?.driverError;
  if (codeOf(error) === QUERY_CANCELED || codeOf(driverError) === QUERY_CANCELED) return TIMED_OUT;
  return undefined;
}
