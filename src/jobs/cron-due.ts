import { parseExpression } from 'cron-parser';

/**
 * Whether a 5-field cron schedule fires in the minute that holds `nowMs` — the question pg-boss's
 * timekeeper asks of every schedule each `cronMonitorIntervalSeconds` (30 s) as "did its previous
 * fire time fall within the last 60 s". pg-boss answers it with cron-parser's `prev()`, which walks
 * back from now until the expression matches: up to ten months for the January 1099-K schedule,
 * in steps that each shift a time zone through luxon. That cost 1.5–3 ms per schedule warm and
 * blocked the event loop for 40–85 ms per check cold (seen at 500 screenings/s as a burst of slow
 * requests every 30–60 s). Here cron-parser looks forward from just before the minute and stops
 * at its end (`endDate`), so it gives up after a few steps: the same answer, by the property test
 * beside it against pg-boss's own method.
 */
export function firesInMinuteOf(cron: string, timezone: string | undefined, nowMs: number): boolean {
  const minuteStart = Math.floor(nowMs / 60_000) * 60_000;
  try {
    const next = parseExpression(cron, { tz: timezone, currentDate: new Date(minuteStart - 1), endDate: new Date(minuteStart) }).next();
    return next.getTime() === minuteStart;
  } catch (error) {
    if (error instanceof Error && error.message === 'Out of the timespan range') return false;
    throw error;
  }
}

/** The part of pg-boss's Timekeeper (src/timekeeper.js, untyped) this replaces. */
export interface PgBossTimekeeper {
  clockSkew: number;
  shouldSendIt(cron: string, timezone: string | undefined): boolean;
}

/**
 * Replaces pg-boss's check on its Timekeeper class (pg-boss 10 offers no option for it). Throws
 * when an upgrade moved the method, so the change is noticed rather than silently lost.
 */
export function useCheapCronCheck(): void {
  // pg-boss's internal class, which its entry point does not export.
  const { prototype } = require('pg-boss/src/timekeeper') as { prototype: PgBossTimekeeper };
  if (typeof prototype.shouldSendIt !== 'function') throw new Error('pg-boss Timekeeper.shouldSendIt is gone: review src/jobs/cron-due.ts');
  prototype.shouldSendIt = function shouldSendIt(this: PgBossTimekeeper, cron: string, timezone: string | undefined): boolean {
    return firesInMinuteOf(cron, timezone, Date.now() + this.clockSkew);
  };
}
