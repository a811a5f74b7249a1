import { ScrapeTimeSnapshot } from './scrape-time-snapshot';

describe('ScrapeTimeSnapshot', () => {
  it('shares one read among the scrapes within its time to live, and reads again after it', async () => {
    let reads = 0;
    const shared = new ScrapeTimeSnapshot('a count', async () => ++reads, 60_000);
    expect(await Promise.all([shared.value(), shared.value(), shared.value()])).toEqual([1, 1, 1]);
    const fresh = new ScrapeTimeSnapshot('a count', async () => ++reads, -1);
    expect(await fresh.value()).toBe(2);
    expect(await fresh.value()).toBe(3);
  });

  it('answers undefined when the read fails, so the gauges keep their values, and reads again next time', async () => {
    let fail = true;
    const snapshot = new ScrapeTimeSnapshot('a count', async () => {
      if (fail) throw new Error('connection terminated');
      return 7;
    }, -1);
    await expect(snapshot.value()).resolves.toBeUndefined();
    fail = false;
    await expect(snapshot.value()).resolves.toBe(7);
  });
});
