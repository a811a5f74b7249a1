import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import { RateLimitedLogger } from '../common/rate-limited-logger';
import type { AppConfig } from '../config/app-config';
import { createRedisClient } from './redis-client.factory';
import { REDIS_CLIENT } from './redis.constants';

const CONNECT_WAIT_MS = 2_000;

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): Redis | null => {
        const logger = new Logger('Redis');
        const client = createRedisClient(config.get('redis', { infer: true }));
        if (client === null) {
          logger.warn('REDIS_URL is not set: using in-process fallbacks (cache and rate limits are per instance)');
          return null;
        }
        // Without a listener ioredis prints every failed reconnect as an unhandled error event. Each
        // one is counted (redis_connection_errors_total); the log says so at most once a second
        // per kind of error, however fast the reconnects fail.
        const errorLog = new RateLimitedLogger(logger);
        client.on('error', (error: Error & { code?: unknown }) => {
          const kind = typeof error.code === 'string' ? error.code : error.name;
          errorLog.warn(kind, `Redis connection error: ${error.message}`, { code: kind });
        });
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  /**
   * Gives the connection a moment before the app starts serving, so the first requests and probes
   * find Redis ready; an unreachable Redis only delays start by this much (fallbacks take over).
   */
  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (redis === null || redis.status === 'ready') return;
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), CONNECT_WAIT_MS);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) new Logger('Redis').warn(`Redis not reachable within ${CONNECT_WAIT_MS} ms; starting with fallbacks and retrying in the background`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis === null || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
