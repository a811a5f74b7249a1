/**
 * The bulkhead pools (`@Bulkhead('ofac')`), one per area whose slow dependency must not take the
 * others down with it. Sizes are per instance. Concurrency is bounded by what the area may hold of
 * the PostgreSQL pool (DATABASE_POOL_SIZE, 10): the named pools together hold at most 9 for any length of time (the
 * `sanctions` batch pool needs a connection only for its final insert, not while matching), so a
 * stuck area never takes every connection. Each queue is about what the pool can start within its
 * queue timeout at a typical 50 ms service time (concurrent × timeout ÷ 50 ms); a deeper queue would
 * only make callers wait for a 503. Interactive pools time out at half the 500 ms p99 SLO, so a
 * request that waited still has time to run. `BULKHEAD_POOLS` overrides any of them.
 */
export const BULKHEAD_POOL_NAMES = ['ofac', 'sanctions', 'risk', 'tax', 'privacy', 'default'] as const;
export type BulkheadPoolName = (typeof BULKHEAD_POOL_NAMES)[number];

export interface BulkheadPoolConfig {
  /** Handlers running at once. */
  concurrent: number;
  /** Callers waiting, first in first out; one more is answered 503 at once. */
  queue: number;
  /** A caller still waiting after this long is answered 503. */
  queueTimeoutMs: number;
}

export interface BulkheadPoolOverride extends BulkheadPoolConfig {
  pool: BulkheadPoolName;
}

export const BULKHEAD_POOL_DEFAULTS: Record<BulkheadPoolName, BulkheadPoolConfig> = {
  // Sanctions screening: fuzzy matching over the SDN list, CPU and database; on the checkout path.
  ofac: { concurrent: 3, queue: 15, queueTimeoutMs: 250 },
  // Batch sanctions screening (up to 1,000 names, ~1 s of CPU): one at a time, since two would only
  // share the core; it holds a database connection only for its final insert, not for the matching.
  sanctions: { concurrent: 1, queue: 4, queueTimeoutMs: 2_000 },
  // Risk scoring: several reads per venue; on the checkout path.
  risk: { concurrent: 3, queue: 15, queueTimeoutMs: 250 },
  // Tax thresholds: aggregate queries over a year of payouts; callers are back-office screens.
  tax: { concurrent: 2, queue: 20, queueTimeoutMs: 500 },
  // Privacy requests (access exports, erasure): long and rare; one at a time is enough.
  privacy: { concurrent: 1, queue: 4, queueTimeoutMs: 2_000 },
  // Everything else decorated without a pool of its own: short reads and writes.
  default: { concurrent: 8, queue: 40, queueTimeoutMs: 250 },
};

export function isBulkheadPoolName(name: string): name is BulkheadPoolName {
  return (BULKHEAD_POOL_NAMES as readonly string[]).includes(name);
}

/** The defaults with the operator's overrides applied. */
export function bulkheadPools(overrides: BulkheadPoolOverride[]): Record<BulkheadPoolName, BulkheadPoolConfig> {
  const pools = { ...BULKHEAD_POOL_DEFAULTS };
  for (const { pool, ...sizes } of overrides) pools[pool] = sizes;
  return pools;
}
