import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../config/app-config';
import type { ComponentHealth } from '../component-health';
import { ContainerResourcesProvider } from '../container-resources.provider';

/**
 * Resident memory as a share of the container's limit: the figure the kernel's OOM killer acts on.
 * Degraded from 85% (the deployment guide's alert), unhealthy from 95% so the pod sheds traffic
 * before it is killed.
 */
@Injectable()
export class MemoryHealthIndicator {
  constructor(
    private readonly resources: ContainerResourcesProvider,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  check(): ComponentHealth {
    const { memoryDegradedPercent, memoryUnhealthyPercent } = this.config.get('health', { infer: true });
    const usedPercent = Math.round((process.memoryUsage.rss() / this.resources.current.memoryLimitBytes) * 1000) / 10;
    if (usedPercent >= memoryUnhealthyPercent) {
      return { status: 'unhealthy', usedPercent, error: `memory at ${usedPercent}% of the limit (unhealthy from ${memoryUnhealthyPercent}%)` };
    }
    if (usedPercent >= memoryDegradedPercent) {
      return { status: 'degraded', usedPercent, error: `memory at ${usedPercent}% of the limit (degraded from ${memoryDegradedPercent}%)` };
    }
    return { status: 'healthy', usedPercent };
  }
}
