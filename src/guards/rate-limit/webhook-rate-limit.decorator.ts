import { applyDecorators, SetMetadata } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { WEBHOOK_RATE_LIMIT_METADATA } from './rate-limit.constants';

/**
 * `@WebhookRateLimit()`: the route is under the `webhook` throttler only (RATE_LIMIT_WEBHOOK_*),
 * counted per sender address and route, and skips `default` and `strict`, which count API callers.
 */
export const WebhookRateLimit = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(WEBHOOK_RATE_LIMIT_METADATA, true), SkipThrottle({ default: true, strict: true }));
