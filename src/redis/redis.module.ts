import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { AppConfig } from '../config/app-config';
import { createRedisClient } from './redis-client.factory';
import { REDIS_CLIENT } from './redis.constants';

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
        // Without a listener ioredis prints every failed reconnect as an unhandled error event.
        client.on('error', (error: Error) => logger.warn(`Redis connection error: ${error.message}`));
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis === null || this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
