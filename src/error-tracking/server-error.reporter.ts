import type { FastifyRequest } from 'fastify';
import { type LoggableError, toLoggableError } from '../common/loggable-error';
import { startedSentry } from './sentry-sdk';

/**
 * Sends a 5xx to Sentry, once, from the place it became a problem+json answer; nothing happens
 * while SENTRY_DSN is unset. Tagged with the route template (bounded, unlike the raw path, which
 * carries ids and the query string) and the request id the caller saw in `x-request-id`.
 */
export function reportServerError(error: unknown, request: FastifyRequest): void {
  const Sentry = startedSentry();
  if (Sentry === undefined) return;
  const route = request.routeOptions.url ?? 'unmatched';
  Sentry.withScope((scope) => {
    // Named after the route template, as the Fastify integration names it when tracing is on;
    // without tracing the SDK would name it after the raw path.
    scope.setTransactionName(`${request.method} ${route}`);
    scope.setTags({ route, request_id: request.id });
    Sentry.captureException(toReportableError(toLoggableError(error)), { mechanism: { type: 'problem-details', handled: false } });
  });
}

/**
 * What the log line of the same error holds (class, SQLSTATE, frames), rebuilt as an Error for the
 * SDK to read: a failed query's message, fields and first stack line quote the values it was given.
 */
function toReportableError(loggable: LoggableError): Error {
  const error = new Error(loggable.message, loggable.cause === undefined ? undefined : { cause: toReportableError(loggable.cause) });
  error.name = loggable.type;
  error.stack = loggable.stack ?? `${loggable.type}: ${loggable.message}`;
  return error;
}
