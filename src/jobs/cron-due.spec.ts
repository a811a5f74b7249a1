import { readFileSync } from 'node:fs';
import { parseExpression } from 'cron-parser';
import fc from 'fast-check';
import { firesInMinuteOf, type PgBossTimekeeper, useCheapCronCheck } from './cron-due';

const timekeeperModule = require.resolve('pg-boss/src/timekeeper');
const { prototype } = require(timekeeperModule) as { prototype: PgBossTimekeeper };
/** pg-boss's own method, kept before anything replaces it. */
const pgBossShouldSendIt = prototype.shouldSendIt;

/** The schedules the service registers (job definitions) and the refresh default. */
const SCHEDULES = ['0 6 2-31 1 *', '* * * * *', '15 2 * * *', '0 7 * * *', '30 3 * * *', '40 4 * * *', '0 5 * * *'];
const TIMEZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];

/** pg-boss's answer at `nowMs` (it reads the clock itself). */
function pgBossAnswer(cron: string, timezone: string, nowMs: number): boolean {
  jest.setSystemTime(nowMs);
  return pgBossShouldSendIt.call({ clockSkew: 0 }, cron, timezone);
}

const field = (min: number, max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max }).map(String),
    fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((values) => values.sort((a, b) => a - b).join(',')),
    fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 2, max: Math.max(2, Math.floor((max - min) / 2)) }).map((step) => `*/${step}`),
  );
const cronExpression = fc.tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6)).map((fields) => fields.join(' '));
/** 2026–2029, never on a minute's first millisecond (there pg-boss's prev() and a minute differ by design). */
const someTime = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2029, 11, 31) }).filter((ms) => ms % 60_000 !== 0);

// Only the clock is faked: pg-boss's method reads it.
beforeAll(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] }));
afterAll(() => jest.useRealTimers());

describe('firesInMinuteOf', () => {
  it('fires the January schedule only in its minute: 06:00 UTC on 2–31 January', () => {
    expect(firesInMinuteOf('0 6 2-31 1 *', 'UTC', Date.UTC(2027, 0, 2, 6, 0, 30))).toBe(true);
    expect(firesInMinuteOf('0 6 2-31 1 *', 'UTC', Date.UTC(2027, 0, 2, 6, 1, 0))).toBe(false);
    expect(firesInMinuteOf('0 6 2-31 1 *', 'UTC', Date.UTC(2027, 0, 1, 6, 0, 30))).toBe(false);
    expect(firesInMinuteOf('0 6 2-31 1 *', 'UTC', Date.UTC(2026, 11, 3, 6, 0, 30))).toBe(false);
    expect(firesInMinuteOf('0 6 2-31 1 *', 'Asia/Kolkata', Date.UTC(2027, 0, 2, 0, 30, 10))).toBe(true);
  });

  it("answers as pg-boss's shouldSendIt for the service's schedules at any time and in time zones (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCHEDULES), fc.constantFrom(...TIMEZONES), someTime, (cron, timezone, nowMs) =>
        firesInMinuteOf(cron, timezone, nowMs) === pgBossAnswer(cron, timezone, nowMs)),
      { numRuns: 300 },
    );
  });

  it("answers as pg-boss's shouldSendIt around the fire times of any expression (property)", () => {
    fc.assert(
      fc.property(cronExpression, fc.constantFrom(...TIMEZONES), someTime, fc.integer({ min: -90_000, max: 90_000 }), (cron, timezone, from, offsetMs) => {
        // Near a real fire time, where the answer is true for one minute: random times alone would rarely test it.
        const fireMs = parseExpression(cron, { tz: timezone, currentDate: new Date(from) }).next().getTime();
        const nowMs = fireMs + offsetMs;
        fc.pre(nowMs % 60_000 !== 0);
        return firesInMinuteOf(cron, timezone, nowMs) === pgBossAnswer(cron, timezone, nowMs);
      }),
      { numRuns: 500 },
    );
  });
});

describe('useCheapCronCheck', () => {
  it("replaces the method pg-boss's cron monitor calls for every schedule", () => {
    // The call this relies on: Timekeeper.cron filters the schedules through this.shouldSendIt.
    expect(readFileSync(timekeeperModule, 'utf8')).toMatch(/\.filter\(i => this\.shouldSendIt\(i\.cron, i\.timezone\)\)/);
    useCheapCronCheck();
    expect(prototype.shouldSendIt).not.toBe(pgBossShouldSendIt);
    jest.setSystemTime(Date.UTC(2027, 0, 4, 2, 15, 20));
    const cron = '15 2 * * *';
    expect(prototype.shouldSendIt.call({ clockSkew: 0 }, cron, 'UTC')).toBe(true);
    expect(prototype.shouldSendIt.call({ clockSkew: 0 }, '16 2 * * *', 'UTC')).toBe(false);
    // A clock skew to the database moves the minute asked about, as in pg-boss.
    expect(prototype.shouldSendIt.call({ clockSkew: 120_000 }, cron, 'UTC')).toBe(false);
  });
});
