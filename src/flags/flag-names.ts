import type { FeatureFlagDefaults } from '../config/app-config';

/**
 * The feature flags. A flag is added in config/ (env.schema.ts, FeatureFlagDefaults and the
 * per-environment defaults in config.loader.ts), then described here; the compiler lists every
 * place that must know about it.
 */
export type FlagName = keyof FeatureFlagDefaults;

export const FLAG_DESCRIPTIONS: Readonly<Record<FlagName, string>> = {
  DETAILED_HEALTH_CHECKS: 'Readiness answers list every component with its latency',
  METRICS_ENDPOINT: 'GET /metrics serves Prometheus metrics (off: 404)',
  LOAD_SHEDDING: 'Overloaded instances answer 503 to sheddable work first',
  BULKHEAD_PATTERN: '@Bulkhead pools bound concurrent work per area',
};

/**
 * Where a flag is evaluated. `service`: once for the whole instance, without a caller (health,
 * /metrics, load shedding, bulkheads), so only an on/off override for everyone can mean anything;
 * a tenant override or a percentage rollout is refused rather than stored and silently ignored.
 * `tenant`: per request, for the caller's tenant and user.
 */
export type FlagScope = 'service' | 'tenant';

export const FLAG_SCOPES: Readonly<Record<FlagName, FlagScope>> = {
  DETAILED_HEALTH_CHECKS: 'service',
  METRICS_ENDPOINT: 'service',
  LOAD_SHEDDING: 'service',
  BULKHEAD_PATTERN: 'service',
};

export const FLAG_NAMES = Object.keys(FLAG_DESCRIPTIONS) as readonly FlagName[];

export function isFlagName(name: string): name is FlagName {
  return Object.hasOwn(FLAG_DESCRIPTIONS, name);
}
