/**
 * Delay before retrying a delivery that failed `attempts` times: doubling from `baseMs`, capped at
 * `maxMs`, then "equal jitter" (half fixed, half random) so subscribers recovering from an outage
 * are not hit by every sender at the same instant.
 */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), maxMs);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
