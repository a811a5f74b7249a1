import { type ExecutionContext, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { getToken } from '@willsoto/nestjs-prometheus';
import type Redis from 'ioredis';
import { createHash } from 'node:crypto';
import type { Counter } from 'prom-client';
import type { AppConfig, RateLimitConfig } from '../../config/app-config';
import { REDIS_CLIENT } from '../../redis/redis.constants';
import { STRICT_RATE_LIMIT_METADATA, WEBHOOK_RATE_LIMIT_METADATA } from './rate-limit.constants';
import { RateLimitGuard } from './rate-limit.guard';
import { MemoryThrottlerStorage } from './memory-throttler.storage';
import { RATE_LIMIT_STORAGE_ERRORS, rateLimitMetricProviders } from './rate-limit.metrics';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const marked = (metadata: string) => (context: ExecutionContext): boolean =>
  Reflect.getMetadata(metadata, context.getHandler()) === true || Reflect.getMetadata(metadata, context.getClass()) === true;

/**
 * Three named throttlers. `default`: every route, counted per caller across all routes, so moving
 * between routes does not multiply a caller's budget. `strict`: only routes marked
 * `@StrictRateLimit()`, counted per caller and route. `webhook`: only `@WebhookRateLimit()` routes
 * (which skip the other two), counted per sender address and route: a provider's delivery burst
 * neither spends an API caller's budget nor is cut by it. Options and storage are provided under
 * @nestjs/throttler's own tokens, so its decorators (`@SkipThrottle`, `@Throttle`) apply as usual.
 */
function throttlerOptions(limits: RateLimitConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'default', limit: limits.default.limit, ttl: limits.default.ttlMs, generateKey: (_context, tracker, name) => createHash('sha256').update(`${name}:${tracker}`).digest('hex') },
      {
        name: 'strict',
        limit: limits.strict.limit,
        ttl: limits.strict.ttlMs,
        skipIf: (context) => !marked(STRICT_RATE_LIMIT_METADATA)(context),
      },
      { name: 'webhook', limit: limits.webhook.limit, ttl: limits.webhook.ttlMs, skipIf: (context) => !marked(WEBHOOK_RATE_LIMIT_METADATA)(context) },
    ],
    setHeaders: false,
  };
}

@Module({
  providers: [
    ...rateLimitMetricProviders,
    {
      provide: getOptionsToken(),
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => throttlerOptions(config.get('rateLimit', { infer: true })),
    },
    {
      provide: getStorageToken(),
      inject: [REDIS_CLIENT, ConfigService, getToken(RATE_LIMIT_STORAGE_ERRORS)],
      // Without Redis each instance counts alone: the limit is per instance, as the Redis module warns.
      useFactory: (redis: Redis | null, config: ConfigService<AppConfig, true>, errors: Counter) =>
        redis === null ? new MemoryThrottlerStorage() : new RedisThrottlerStorage(redis, config.get('rateLimit', { infer: true }).redisTimeoutMs, errors),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class RateLimitModule {}
