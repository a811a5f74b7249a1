import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ContainerResourcesProvider } from './container-resources.provider';
import { CpuSampler, type CpuReading } from './cpu-sampler';

const SAMPLE_INTERVAL_MS = 1_000;

/**
 * Samples once a second, so a check right after a burst does not read a few busy milliseconds as
 * full load. The host's load average is not used: inside a container it describes other tenants'
 * work.
 */
@Injectable()
export class ProcessCpuSampler extends CpuSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly eventLoopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private lastUsage = process.cpuUsage();
  private lastAt = performance.now();
  private sampler: NodeJS.Timeout | undefined;
  private reading: CpuReading = { load: 0, eventLoopDelayMs: 0 };

  constructor(private readonly resources: ContainerResourcesProvider) {
    super();
  }

  /** Sampling starts once the app is up: module loading is not load. */
  onApplicationBootstrap(): void {
    this.eventLoopDelay.enable();
    this.lastUsage = process.cpuUsage();
    this.lastAt = performance.now();
    this.sampler = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    this.sampler.unref();
  }

  latest(): CpuReading {
    return this.reading;
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
    this.reading = {
      load: Math.round(((usage.user + usage.system) / elapsedMicros / this.resources.current.cpus) * 100) / 100,
      eventLoopDelayMs: Math.round(this.eventLoopDelay.percentile(99) / 1e6),
    };
    this.eventLoopDelay.reset();
  }
}
