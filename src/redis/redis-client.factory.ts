import Redis from 'ioredis';
import type { RedisConfig } from '../config/app-config';

/**
 * Commands fail fast while disconnected (no offline queue), so a Redis outage degrades the
 * features that use it to their fallbacks instead of stacking up requests; reconnects back off
 * to at most 2 s.
 */
export function createRedisClient(config: RedisConfig, connectionName = 'compliance-service'): Redis | null {
  if (config.url === undefined) return null;
  return new Redis(config.url, {
    keyPrefix: config.keyPrefix,
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // A hung server (connected, never answering) must not hold callers or health checks forever.
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}
