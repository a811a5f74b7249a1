/** CPU time used per CPU the container may use, and the event loop's p99 delay, over the last second. */
export interface CpuReading {
  load: number;
  eventLoopDelayMs: number;
}

/**
 * Where the cpu indicator reads its figures, as an injection token: ProcessCpuSampler measures this
 * process; a test module overrides the provider with chosen readings, because a test runner on a
 * busy machine would otherwise make readiness read degraded at random.
 */
export abstract class CpuSampler {
  abstract latest(): CpuReading;
}
