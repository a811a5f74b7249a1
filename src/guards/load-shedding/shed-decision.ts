import type { LoadSheddingConfig } from '../../config/app-config';
import { type CriticalityLevel, PRESSURE_TOLERANCE } from './criticality-level';

export const SHED_REASONS = ['event_loop_busy', 'in_flight', 'heap', 'rss'] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

export interface LoadSignals {
  /** How long the event loop has been running the current turn without getting back to its timers. */
  loopBusyMs: number;
  /** Requests admitted and not yet answered. */
  inFlight: number;
  heapPercent: number;
  rssPercent: number;
}

/**
 * Why a request of this class should be refused now, or undefined to admit it.
 *
 * - Event loop busy: requests read late in a long turn have waited that long already, in socket
 *   buffers behind the requests before them; this is their queueing delay (CoDel's sojourn time)
 *   and the one signal that sees CPU overload, because a CPU-bound handler runs to completion and
 *   never shows up as concurrency. Refusing the rest of a turn's requests once it has run past the
 *   threshold bounds queueing delay to about the threshold, whatever the arrival rate.
 * - In flight: I/O-bound overload (handlers waiting on the database) leaves the loop idle but
 *   piles up concurrent requests.
 * - Memory: shedding slows allocation before the heap or the container limit is reached; critical
 *   work is never refused for memory, since refusing it frees nothing.
 */
export function shedReason(level: CriticalityLevel, signals: LoadSignals, thresholds: LoadSheddingConfig): ShedReason | undefined {
  const tolerance = PRESSURE_TOLERANCE[level];
  if (signals.loopBusyMs >= thresholds.loopDelayMs * tolerance) return 'event_loop_busy';
  if (signals.inFlight >= thresholds.maxInFlight * tolerance) return 'in_flight';
  if (level === 'critical') return undefined;
  if (signals.heapPercent >= memoryThreshold(level, thresholds.heapPercent)) return 'heap';
  if (signals.rssPercent >= memoryThreshold(level, thresholds.rssPercent)) return 'rss';
  return undefined;
}

/** `sheddable` at the threshold, `default` halfway between it and 100%. */
function memoryThreshold(level: Exclude<CriticalityLevel, 'critical'>, percent: number): number {
  return level === 'sheddable' ? percent : (percent + 100) / 2;
}
