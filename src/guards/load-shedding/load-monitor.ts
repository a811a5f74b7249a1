import type { LoadSignals } from './shed-decision';

/**
 * The load signals shedding decides on, as an injection token: ProcessLoadMonitor reads this
 * process; a test module overrides the provider with chosen readings, so what is shed does not
 * depend on how busy the test machine happens to be.
 */
export abstract class LoadMonitor {
  abstract signals(): LoadSignals;
  /** Counts the request as in flight until its response has been sent or its connection closed. */
  abstract track(response: NodeJS.EventEmitter): void;
}
