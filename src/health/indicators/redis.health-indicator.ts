import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import type Redis from 'ioredis';
import type { AppConfig } from '../../config/app-config';
import { REDIS_CLIENT } from '../../redis/redis.constants';
import type { ComponentHealth } from '../component-health';

/**
 * PING with a timeout. A failure degrades the pod rather than making it unready, unless
 * HEALTH_REDIS_CRITICAL is set: every feature that uses Redis has an in-process fallback, and
 * taking all pods out of service over a cache outage would turn it into a full outage.
 */
@Injectable()
export class RedisHealthIndicator {
  private readonly timeoutMs: number;
  private readonly critical: boolean;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly indicators: HealthIndicatorService,
    config: ConfigService<AppConfig, true>,
  ) {
    const health = config.get('health', { infer: true });
    this.timeoutMs = health.redisTimeoutMs;
    this.critical = health.redisCritical;
  }

  async check(): Promise<ComponentHealth> {
    const redis = this.redis;
    if (redis === null) return { status: 'not_configured' };
    const result = await this.indicators
      .check('redis')
      .attempt(async () => {
        // Commands fail at once while disconnected (no offline queue); say why in plain words.
        if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
        const answer = await redis.ping();
        if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
      })
      .withTimeout(this.timeoutMs);
    const { status, responseTime, message } = result.redis as { status: string; responseTime: number; message?: string };
    if (status === 'up') return { status: 'healthy', latencyMs: responseTime };
    return { status: this.critical ? 'unhealthy' : 'degraded', latencyMs: responseTime, error: message ?? 'PING failed' };
  }
}
