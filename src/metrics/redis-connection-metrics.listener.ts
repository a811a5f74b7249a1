import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { REDIS_CONNECTION_ERRORS } from './redis.metrics';

/** Counts the client's `error` events; ioredis emits one per lost connection and per failed reconnect. */
@Injectable()
export class RedisConnectionMetricsListener implements OnApplicationShutdown {
  private readonly onError = (): void => {
    this.errors.inc();
  };

  constructor(
    @Inject(REDIS_CLIENT) private readonly client: Redis | null,
    @InjectMetric(REDIS_CONNECTION_ERRORS) private readonly errors: Counter,
  ) {
    client?.on('error', this.onError);
  }

  onApplicationShutdown(): void {
    this.client?.off('error', this.onError);
  }
}
