import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminApiGuard } from '../auth/admin-api.guard';
import { AuditModule } from '../modules/audit/audit.module';
import { FeatureFlagGuard } from './feature-flag.guard';
import { FeatureFlagsService } from './feature-flags.service';
import { FlagAdminService } from './flag-admin.service';
import { FlagAuditRepository } from './flag-audit.repository';
import { FlagEvaluationMetricsHook } from './flag-evaluation-metrics.hook';
import { FlagChangeNotifier } from './flag-change.notifier';
import { FlagOverrideRegistry } from './flag-override.registry';
import { FlagOverrideRepository } from './flag-override.repository';
import { flagMetricProviders } from './flag.metrics';
import { FlagsAdminController } from './flags-admin.controller';
import { RuntimeOverrideProvider } from './runtime-override.provider';

/**
 * Feature flags on OpenFeature: environment values (AppConfig.flags) under runtime overrides shared
 * by every replica (recorded in PostgreSQL, announced through Redis pub/sub), `@FeatureFlag` on routes, and the admin API. Global, because the service's own
 * behaviour obeys flags everywhere: health, metrics, load shedding, bulkheads.
 */
@Global()
@Module({
  imports: [AuditModule],
  controllers: [FlagsAdminController],
  providers: [
    ...flagMetricProviders,
    FlagAuditRepository,
    FlagOverrideRepository,
    FlagChangeNotifier,
    FlagOverrideRegistry,
    RuntimeOverrideProvider,
    FlagEvaluationMetricsHook,
    FeatureFlagsService,
    FlagAdminService,
    AdminApiGuard,
    // Global, and registered before rate limiting (RateLimitModule is imported after this module).
    { provide: APP_GUARD, useClass: FeatureFlagGuard },
  ],
  exports: [FeatureFlagsService],
})
export class FlagsModule {}
