import type { AppConfig } from '../config/app-config';
import { scrubBreadcrumb, scrubEvent, scrubSpan, TRIAGE_HEADERS } from './personal-data.scrubber';
import { loadSentry, startedSentry } from './sentry-sdk';

/** The name the SDK gives its Fastify integration. */
const FASTIFY_INTEGRATION = 'Fastify';
/** How long a shutdown waits for queued events to reach Sentry. */
const FLUSH_TIMEOUT_MS = 2_000;

/**
 * Starts the Sentry SDK when SENTRY_DSN is set; returns whether it did. Call it before the
 * application's modules load (see instrument.ts): the SDK instruments pg and http as they load.
 */
export function initErrorTracking({ version, environment, errorTracking }: Pick<AppConfig, 'version' | 'environment' | 'errorTracking'>): boolean {
  if (errorTracking.dsn === undefined) return false;
  const tracing = errorTracking.tracesSampleRate > 0;
  const Sentry = loadSentry();
  Sentry.init({
    dsn: errorTracking.dsn,
    release: version,
    environment,
    // Collect nothing about the caller in the first place; scrubEvent is the second line.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { allow: [...TRIAGE_HEADERS] }, response: false },
      httpBodies: [],
      urlQueryParams: false,
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
    },
    // Left out at 0: the SDK then loads no tracing instrumentation at all.
    ...(tracing ? { tracesSampleRate: errorTracking.tracesSampleRate } : {}),
    // The SDK's Fastify integration (a default one) runs every hook and handler of every request in
    // a span of its own, sampled or not: ~1 ms of CPU per request here, several times what the
    // request itself costs (npm run bench:health). Kept only when traces are sampled, with its error
    // capture off: ProblemDetailsFilter reports every 5xx, and Fastify's onError capture would send
    // errors raised in hooks a second time (the reporter names the event after the route template).
    integrations: (defaults) => [
      ...defaults.filter((integration) => integration.name !== FASTIFY_INTEGRATION),
      ...(tracing ? [Sentry.fastifyIntegration({ shouldHandleError: () => false })] : []),
    ],
    beforeSend: (event) => scrubEvent(event),
    beforeSendSpan: (span) => scrubSpan(span),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
  return true;
}

/** Sends what is still queued; a shutdown step. */
export async function closeErrorTracking(): Promise<void> {
  await startedSentry()?.close(FLUSH_TIMEOUT_MS);
}
