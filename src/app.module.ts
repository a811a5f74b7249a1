import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import type { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { FlagsModule } from './flags/flags.module';
import { GuardsModule } from './guards/guards.module';
import { HealthModule } from './health/health.module';
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
        LoggingModule,
        DatabaseModule,
        RedisModule,
        MetricsModule,
        HealthModule,
        FlagsModule,
        GuardsModule,
        ...extraImports,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
