import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { InternalTokenGuard } from '../common/internal-token.guard';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { FeatureFlagGuard } from './feature-flag.guard';
import { FeatureFlagsService } from './feature-flags.service';
import { FlagAdminService } from './flag-admin.service';
import { FlagAuditRepository } from './flag-audit.repository';
import { FlagEvaluationMetricsHook } from './flag-evaluation-metrics.hook';
import { FlagOverrideRegistry } from './flag-override.registry';
import { FlagOverrideStore } from './flag-override.store';
import { flagMetricProviders } from './flag.metrics';
import { FlagsAdminController } from './flags-admin.controller';
import { PostgresFlagOverrideStore } from './postgres-flag-override.store';
import { RedisFlagOverrideStore } from './redis-flag-override.store';
import { RuntimeOverrideProvider } from './runtime-override.provider';

/**
 * Feature flags on OpenFeature: environment values (AppConfig.flags) under runtime overrides shared
 * by every replica, `@FeatureFlag` on routes, and the admin API. Global, because the service's own
 * behaviour obeys flags everywhere: health, metrics, load shedding, bulkheads.
 */
@Global()
@Module({
  controllers: [FlagsAdminController],
  providers: [
    ...flagMetricProviders,
    FlagAuditRepository,
    {
      provide: FlagOverrideStore,
      inject: [REDIS_CLIENT, DataSource, FlagAuditRepository],
      useFactory: (redis: Redis | null, dataSource: DataSource, audit: FlagAuditRepository): FlagOverrideStore =>
        redis === null ? new PostgresFlagOverrideStore(dataSource, audit) : new RedisFlagOverrideStore(redis, dataSource, audit),
    },
    FlagOverrideRegistry,
    RuntimeOverrideProvider,
    FlagEvaluationMetricsHook,
    FeatureFlagsService,
    FlagAdminService,
    InternalTokenGuard,
    // Global, and registered before rate limiting (RateLimitModule is imported after this module).
    { provide: APP_GUARD, useClass: FeatureFlagGuard },
  ],
  exports: [FeatureFlagsService],
})
export class FlagsModule {}
