import type { SmokeClient } from './smoke-client';

/** One line of the smoke table. `run` answers what it saw, or throws saying what is wrong. */
export interface SmokeCheck {
  name: string;
  run(client: SmokeClient): Promise<string>;
}

export interface SmokeCheckResult {
  name: string;
  passed: boolean;
  detail: string;
  /** The check's slowest call; undefined when it made none. */
  latencyMs: number | undefined;
}

/** Thrown by a check whose call answered, but not what a healthy service answers. */
export class SmokeCheckFailure extends Error {}
