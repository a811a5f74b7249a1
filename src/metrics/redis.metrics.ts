import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import type { Gauge } from 'prom-client';
import { REDIS_CLIENT } from '../redis/redis.constants';

/** The guide's `redis_connection_errors`; counters carry `_total` (OpenMetrics, promtool lint). */
export const REDIS_CONNECTION_ERRORS = 'redis_connection_errors_total';

export const redisMetricProviders = [
  makeCounterProvider({
    name: REDIS_CONNECTION_ERRORS,
    help: 'Errors emitted by the Redis client: lost connections and every failed reconnect attempt',
  }),
  makeGaugeProvider({
    name: 'redis_connection_up',
    help: '1 while the Redis client is connected and ready; 0 otherwise, and when REDIS_URL is unset',
    inject: [REDIS_CLIENT],
    collect(this: Gauge, client: Redis | null) {
      this.set(client?.status === 'ready' ? 1 : 0);
    },
  }),
];
