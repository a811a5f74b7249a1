import { setTimeout as sleep } from 'node:timers/promises';

export interface ProbeReading {
  path: string;
  /** On the clock the watch was given. */
  at: number;
  /** 0 when the probe got no answer at all. */
  status: number;
  body: unknown;
}

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Polls probes every `intervalMs`, the way a kubelet does (but faster, to time transitions),
 * recording every answer on a clock shared with the traffic, so a test can say when readiness
 * turned and that liveness never did.
 */
export class ProbeWatch {
  readonly readings: ProbeReading[] = [];
  private watching = false;
  private loops: Array<Promise<void>> = [];

  constructor(
    private readonly base: string,
    private readonly paths: string[],
    private readonly clock: () => number,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.watching = true;
    this.loops = this.paths.map((path) => this.poll(path));
  }

  async stop(): Promise<ProbeReading[]> {
    this.watching = false;
    await Promise.all(this.loops);
    return this.readings;
  }

  /** When `path` first answered `status` at or after `from` (on the watch's clock). */
  firstAnswer(path: string, status: number, from: number): ProbeReading | undefined {
    return this.readings.find((reading) => reading.path === path && reading.at >= from && reading.status === status);
  }

  /** Readings of `path` whose status is not `status`. */
  others(path: string, status: number): ProbeReading[] {
    return this.readings.filter((reading) => reading.path === path && reading.status !== status);
  }

  private async poll(path: string): Promise<void> {
    while (this.watching) {
      const sentAt = this.clock();
      const reading = await fetch(`${this.base}${path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }).then(
        async (response) => ({ path, at: sentAt, status: response.status, body: await response.json().catch(() => undefined) }),
        () => ({ path, at: sentAt, status: 0, body: undefined }),
      );
      this.readings.push(reading);
      await sleep(this.intervalMs, undefined, { ref: false });
    }
  }
}
