import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import type { AppConfig } from '../config/app-config';
import { RedisModule } from '../redis/redis.module';
import { DatabaseHealthIndicator } from './indicators/database.health-indicator';
import { RedisHealthIndicator } from './indicators/redis.health-indicator';

/**
 * Just the dependency indicators, for `npm run db:status` and `npm run redis:ping`: the runbook's
 * commands and the readiness probe check PostgreSQL and Redis with the very same code.
 */
@Module({})
export class HealthCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: HealthCliModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => config] }),
        RedisModule,
        TerminusModule.forRoot({ logger: false }),
      ],
      providers: [DatabaseHealthIndicator, RedisHealthIndicator],
    };
  }
}
