import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { detectContainerResources } from '../../common/container-resources';
import { getHeapStatistics } from 'node:v8';
import { LoadMonitor } from './load-monitor';
import type { LoadSignals } from './shed-decision';

/** The loop-turn clock's resolution: a turn's start is known to within this much. */
const TURN_CLOCK_MS = 10;
/** Memory changes slowly; reading it costs microseconds, so not on every request. */
const MEMORY_SAMPLE_MS = 250;

/**
 * The load signals, kept current so a decision per request reads fields and calls
 * `performance.now()` once. A repeating timer marks the start of each event-loop turn (timers run
 * first in a turn); a request handled while the mark is old is being handled late in a long turn.
 */
@Injectable()
export class ProcessLoadMonitor extends LoadMonitor implements OnModuleInit, OnApplicationShutdown {
  private turnStartedAt = performance.now();
  private inFlightCount = 0;
  private heapPercent = 0;
  private rssPercent = 0;
  private readonly memoryLimitBytes = detectContainerResources().memoryLimitBytes;
  private timers: NodeJS.Timeout[] = [];

  onModuleInit(): void {
    this.sampleMemory();
    this.timers = [
      setInterval(() => (this.turnStartedAt = performance.now()), TURN_CLOCK_MS),
      setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  signals(): LoadSignals {
    return {
      loopBusyMs: performance.now() - this.turnStartedAt,
      inFlight: this.inFlightCount,
      heapPercent: this.heapPercent,
      rssPercent: this.rssPercent,
    };
  }

  track(response: NodeJS.EventEmitter): void {
    this.inFlightCount += 1;
    response.once('close', () => (this.inFlightCount -= 1));
  }

  private sampleMemory(): void {
    const heap = getHeapStatistics();
    this.heapPercent = (heap.used_heap_size / heap.heap_size_limit) * 100;
    this.rssPercent = (process.memoryUsage.rss() / this.memoryLimitBytes) * 100;
  }
}
