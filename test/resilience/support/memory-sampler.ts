import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { valueOf } from '../../helpers/prometheus-text';
import { scrape } from './scrape';

export interface MemorySample {
  /** Milliseconds since sampling started. */
  at: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** VmRSS of a process, as the kernel counts it (what a container's memory limit is measured against). */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`/proc/${pid}/status has no VmRSS: has the process exited?`);
  return Number(match[1]) * 1024;
}

/**
 * Samples a service process every `intervalMs`: its RSS from /proc and its V8 heap in use from its
 * own /metrics (prom-client's nodejs_heap_size_used_bytes), which a test process cannot read otherwise.
 */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private sampling = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly pid: number,
    private readonly base: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.sampling = true;
    this.loop = this.run();
  }

  async stop(): Promise<MemorySample[]> {
    this.sampling = false;
    await this.loop;
    return this.samples;
  }

  private async run(): Promise<void> {
    const startedAt = performance.now();
    while (this.sampling) {
      const heapUsedBytes = valueOf(await scrape(this.base), 'nodejs_heap_size_used_bytes');
      if (heapUsedBytes === undefined) throw new Error('/metrics has no nodejs_heap_size_used_bytes');
      this.samples.push({ at: performance.now() - startedAt, rssBytes: residentBytes(this.pid), heapUsedBytes });
      await sleep(this.intervalMs, undefined, { ref: false });
    }
  }
}
