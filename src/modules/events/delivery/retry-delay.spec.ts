import { retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('doubles per failed attempt, between half and all of the exponential delay', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 1_000, 60_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, 1_000, 60_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('never exceeds the cap, however many attempts failed', () => {
    expect(retryDelayMs(40, 10_000, 3_600_000, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(40, 10_000, 3_600_000, () => 0)).toBe(1_800_000);
  });
});
