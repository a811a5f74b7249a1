import { Module } from '@nestjs/common';
import { BulkheadModule } from './bulkhead/bulkhead.module';
import { LoadSheddingModule } from './load-shedding/load-shedding.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

/**
 * The overload guards, each in its own module: load shedding (Fastify hook, `@Criticality`),
 * bulkheads (`@Bulkhead`), rate limiting (global guard, `@StrictRateLimit`, `@SkipThrottle`).
 * Import after FlagsModule, so the feature-flag guard runs before rate limiting.
 */
@Module({
  imports: [LoadSheddingModule, BulkheadModule, RateLimitModule],
  exports: [LoadSheddingModule],
})
export class GuardsModule {}
