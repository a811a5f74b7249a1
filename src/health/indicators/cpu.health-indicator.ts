import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config';
import type { ComponentHealth } from '../component-health';
import { CpuSampler } from '../cpu-sampler';

/**
 * CPU time this process used per CPU the container may use, and the event loop's p99 delay, as
 * the sampler last measured them. High → degraded, never unready: busy is not broken.
 */
@Injectable()
export class CpuHealthIndicator {
  constructor(
    private readonly sampler: CpuSampler,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  check(): ComponentHealth {
    const { cpuDegradedLoad, eventLoopDelayDegradedMs } = this.config.get('health', { infer: true });
    const { load, eventLoopDelayMs } = this.sampler.latest();
    const problems = [
      load > cpuDegradedLoad ? `CPU load ${load} above ${cpuDegradedLoad}` : undefined,
      eventLoopDelayMs > eventLoopDelayDegradedMs ? `event-loop delay p99 ${eventLoopDelayMs} ms above ${eventLoopDelayDegradedMs} ms` : undefined,
    ].filter((problem): problem is string => problem !== undefined);
    return problems.length === 0
      ? { status: 'healthy', load, eventLoopDelayMs }
      : { status: 'degraded', load, eventLoopDelayMs, error: problems.join('; ') };
  }
}
