import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ContainerResourcesProvider } from './container-resources.provider';
import { CpuSampler } from './cpu-sampler';
import { healthMetricProviders } from './health.metrics';
import { HealthRoutes } from './health.routes';
import { CpuHealthIndicator } from './indicators/cpu.health-indicator';
import { DatabaseHealthIndicator } from './indicators/database.health-indicator';
import { MemoryHealthIndicator } from './indicators/memory.health-indicator';
import { RedisHealthIndicator } from './indicators/redis.health-indicator';
import { SanctionsListHealthIndicator } from './indicators/sanctions-list.health-indicator';
import { ProcessCpuSampler } from './process-cpu-sampler';
import { ReadinessService } from './readiness.service';

@Module({
  // Transitions are logged by ReadinessService; Terminus would log every failed probe again.
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [
    ContainerResourcesProvider,
    { provide: CpuSampler, useClass: ProcessCpuSampler },
    DatabaseHealthIndicator,
    RedisHealthIndicator,
    MemoryHealthIndicator,
    CpuHealthIndicator,
    SanctionsListHealthIndicator,
    ReadinessService,
    HealthRoutes,
    ...healthMetricProviders,
  ],
  exports: [ReadinessService, DatabaseHealthIndicator, RedisHealthIndicator],
})
export class HealthModule {}
