import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { isExemptPath } from '../exempt-paths';
import { appendListMember, limitItem, policyItem } from './rate-limit-headers';
import { RATE_LIMIT_REJECTIONS } from './rate-limit.metrics';
import { FAIL_OPEN_RECORD } from './redis-throttler.storage';

/**
 * @nestjs/throttler's guard with our policy: probes and /metrics are exempt by path; the caller is
 * the authenticated user when there is one, else the client IP as Fastify resolved it, honouring
 * X-Forwarded-For only from TRUSTED_PROXIES addresses (the left-most entry is whatever the client wrote);
 * answers carry the IETF RateLimit-Policy/RateLimit fields and a 429 a plain Retry-After, instead
 * of the library's X-RateLimit-* and per-throttler Retry-After-<name>.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectMetric(RATE_LIMIT_REJECTIONS) private readonly rejections: Counter<'throttler'>,
  ) {
    super(options, storage, reflector);
    // Both throttlers' series exist from the start: the dashboard shows 0 rather than "No data".
    const throttlers = Array.isArray(options) ? options : options.throttlers;
    for (const { name = 'default' } of throttlers) rejections.inc({ throttler: name }, 0);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(isExemptPath(context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url));
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal } = request as unknown as FastifyRequest;
    if (principal !== undefined) return `user:${principal.tenantId}/${principal.userId}`;
    return `ip:${await super.getTracker(request)}`;
  }

  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const name = throttler.name ?? 'default';
    const tracker = await getTracker(request, context);
    const key = generateKey(context, tracker, name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    if (record === FAIL_OPEN_RECORD) return true;
    void reply
      .header('ratelimit-policy', appendListMember(reply.getHeader('ratelimit-policy'), policyItem(name, limit, ttl)))
      .header('ratelimit', appendListMember(reply.getHeader('ratelimit'), limitItem(name, limit - record.totalHits, record.isBlocked ? record.timeToBlockExpire : record.timeToExpire)));
    if (!record.isBlocked) return true;
    this.rejections.inc({ throttler: name });
    void reply.header('retry-after', String(Math.max(1, record.timeToBlockExpire)));
    await this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record });
    return false;
  }
}
