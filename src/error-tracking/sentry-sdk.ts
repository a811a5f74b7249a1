import type * as SentryNode from '@sentry/node';

type SentrySdk = typeof SentryNode;

let sdk: SentrySdk | undefined;

/**
 * The Sentry SDK, loaded on first use rather than imported: loading it costs ~0.4 s of every start
 * and several MB of heap (npm run bench:cold-start), which a deployment without SENTRY_DSN would
 * pay for nothing. error-tracking.init.ts loads it before the application's modules, as the SDK's
 * instrumentation needs.
 */
export function loadSentry(): SentrySdk {
  sdk ??= require('@sentry/node') as SentrySdk;
  return sdk;
}

/** The SDK once error tracking has started; undefined while SENTRY_DSN is unset. */
export function startedSentry(): SentrySdk | undefined {
  return sdk?.isInitialized() === true ? sdk : undefined;
}
