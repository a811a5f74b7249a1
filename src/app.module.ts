import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClsModule } from 'nestjs-cls';
import { AuthModule } from './auth/auth.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { CryptoModule } from './crypto/crypto.module';
import { TenantTransactionsModule } from './database/tenant-transactions.module';
import { AuditModule } from './modules/audit/audit.module';
import { RiskModule } from './modules/risk/risk.module';
import { VenuesModule } from './modules/venues/venues.module';
import { SanctionsModule } from './modules/sanctions/sanctions.module';
import { TaxModule } from './modules/tax/tax.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { AlertsModule } from './modules/alerts/alerts.module';
import { DomainEventsModule } from './modules/events/domain-events.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { PrivacyModule } from './modules/privacy/privacy.module';
import { ConsoleModule } from './console/console.module';
import { RequestContextModule } from './common/request-context.module';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import type { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { FlagsModule } from './flags/flags.module';
import { GuardsModule } from './guards/guards.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';

@Module({})
export class AppModule {
  /**
   * `config` is already validated (see config.loader.ts); `database.url` is the resolved URL.
   * `extraImports` lets tests and benches add controllers of their own to the real application.
   */
  static forRoot(config: AppConfig, extraImports: NonNullable<DynamicModule['imports']> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        // The context itself is opened per request by RequestContextHook (see configureApp).
        ClsModule.forRoot({ global: true }),
        RequestContextModule,
        LoggingModule,
        DatabaseModule,
        RedisModule,
        MetricsModule,
        HealthModule,
        FlagsModule,
        AuthModule,
        GuardsModule,
        TenantTransactionsModule,
        CryptoModule,
        IdempotencyModule,
        JobsModule,
        AuditModule,
        VenuesModule,
        SanctionsModule,
        RiskModule,
        TaxModule,
        WebhooksModule,
        AlertsModule,
        DomainEventsModule,
        DashboardModule,
        PrivacyModule,
        ConsoleModule.forEnvironment(config.environment),
        ...extraImports,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
