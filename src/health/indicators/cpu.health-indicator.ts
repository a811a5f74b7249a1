import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { AppConfig } from '../../config/app-config';
import type { ComponentHealth } from '../component-health';
import { ContainerResourcesProvider } from '../container-resources.provider';

const SAMPLE_INTERVAL_MS = 1_000;

/**
 * CPU time this process used per CPU the container may use, and the event loop's p99 delay, both
 * over the last full second (a timer samples them, so a check right after a burst does not read
 * a few busy milliseconds as full load). The host's load average is not used: inside a container
 * it describes other tenants' work. High → degraded, never unready: busy is not broken.
 */
@Injectable()
export class CpuHealthIndicator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly eventLoopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private lastUsage = process.cpuUsage();
  private lastAt = performance.now();
  private sampler: NodeJS.Timeout | undefined;
  private latest = { load: 0, eventLoopDelayMs: 0 };

  constructor(
    private readonly resources: ContainerResourcesProvider,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Sampling starts once the app is up: module loading is not load. */
  onApplicationBootstrap(): void {
    this.eventLoopDelay.enable();
    this.lastUsage = process.cpuUsage();
    this.lastAt = performance.now();
    this.sampler = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.sampler.unref();
  }

  check(): ComponentHealth {
    const { cpuDegradedLoad, eventLoopDelayDegradedMs } = this.config.get('health', { infer: true });
    const { load, eventLoopDelayMs } = this.latest;
    const problems = [
      load > cpuDegradedLoad ? `CPU load ${load} above ${cpuDegradedLoad}` : undefined,
      eventLoopDelayMs > eventLoopDelayDegradedMs ? `event-loop delay p99 ${eventLoopDelayMs} ms above ${eventLoopDelayDegradedMs} ms` : undefined,
    ].filter((problem): problem is string => problem !== undefined);
    return problems.length === 0
      ? { status: 'healthy', load, eventLoopDelayMs }
      : { status: 'degraded', load, eventLoopDelayMs, error: problems.join('; ') };
  }

  onModuleDestroy(): void {
    clearInterval(this.sampler);
    this.eventLoopDelay.disable();
  }

  private sample(): void {
    const now = performance.now();
    const usage = process.cpuUsage(this.lastUsage);
    const elapsedMicros = Math.max((now - this.lastAt) * 1000, 1);
    this.lastUsage = process.cpuUsage();
    this.lastAt = now;
    this.latest = {
      load: Math.round(((usage.user + usage.system) / elapsedMicros / this.resources.current.cpus) * 100) / 100,
      eventLoopDelayMs: Math.round(this.eventLoopDelay.percentile(99) / 1e6),
    };
    this.eventLoopDelay.reset();
  }
}
