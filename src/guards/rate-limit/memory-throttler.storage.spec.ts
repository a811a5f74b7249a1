import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage (the counters without Redis)', () => {
  let now: number;
  const storage = () => new MemoryThrottlerStorage(() => now, 1_000);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits in a window that starts with the first hit, and refuses past the limit until it ends', async () => {
    const counters = storage();
    const answers = [];
    for (let hit = 0; hit < 4; hit += 1) answers.push(await counters.increment('caller', 60_000, 3, 0));
    expect(answers.map(({ totalHits, isBlocked }) => [totalHits, isBlocked])).toEqual([[1, false], [2, false], [3, false], [4, true]]);
    expect(answers[3]).toMatchObject({ timeToExpire: 60, timeToBlockExpire: 60 });
    now += 59_000;
    expect(await counters.increment('caller', 60_000, 3, 0)).toMatchObject({ isBlocked: true, timeToExpire: 1 });
    now += 1_000;
    expect(await counters.increment('caller', 60_000, 3, 0)).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('blocks for blockDuration after the hit past the limit, refusing uncounted meanwhile', async () => {
    const counters = storage();
    for (let hit = 0; hit < 2; hit += 1) await counters.increment('caller', 1_000, 2, 0);
    expect(await counters.increment('caller', 1_000, 2, 5_000)).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 5 });
    now += 2_000; // the window has ended, the block has not
    expect(await counters.increment('caller', 1_000, 2, 5_000)).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 3 });
    now += 3_000;
    expect(await counters.increment('caller', 1_000, 2, 5_000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps callers apart', async () => {
    const counters = storage();
    await counters.increment('a', 60_000, 1, 0);
    expect((await counters.increment('a', 60_000, 1, 0)).isBlocked).toBe(true);
    expect((await counters.increment('b', 60_000, 1, 0)).isBlocked).toBe(false);
  });

  it('forgets a caller whose window ended once the sweep runs, so a million one-off callers do not stay in memory', async () => {
    const counters = storage();
    for (let caller = 0; caller < 1_000; caller += 1) await counters.increment(`caller-${caller}`, 500, 10, 0);
    now += 1_000;
    await counters.increment('late', 500, 10, 0);
    expect((counters as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });
});
