import fc from 'fast-check';
import { jurisdictionsMet, type TaxThreshold, thresholdStatus } from './tax-thresholds';

const FEDERAL_2026: TaxThreshold = { jurisdiction: 'US', taxYear: 2026, grossMinor: 2_000_000, transactions: 200, source: 'IRC §6050W(e)' };
const STATE_AMOUNT_ONLY: TaxThreshold = { jurisdiction: 'US-MA', taxYear: 2026, grossMinor: 59_999, transactions: null, source: 'state law' };

describe('Form 1099-K threshold test', () => {
  it('requires both more than $20,000 and more than 200 transactions (federal)', () => {
    expect(thresholdStatus({ grossMinor: 2_000_001, transactions: 201 }, FEDERAL_2026).met).toBe(true);
    expect(thresholdStatus({ grossMinor: 2_000_000, transactions: 201 }, FEDERAL_2026)).toMatchObject({ met: false, grossExceeded: false, transactionsExceeded: true });
    expect(thresholdStatus({ grossMinor: 2_000_001, transactions: 200 }, FEDERAL_2026)).toMatchObject({ met: false, grossExceeded: true, transactionsExceeded: false });
    expect(thresholdStatus({ grossMinor: 90_000_000, transactions: 5 }, FEDERAL_2026).met).toBe(false);
  });

  it('tests the amount only when a jurisdiction has no count threshold', () => {
    expect(thresholdStatus({ grossMinor: 60_000, transactions: 1 }, STATE_AMOUNT_ONLY).met).toBe(true);
    expect(thresholdStatus({ grossMinor: 59_999, transactions: 1_000 }, STATE_AMOUNT_ONLY).met).toBe(false);
  });

  it('lists the jurisdictions met, federal first', () => {
    expect(jurisdictionsMet({ grossMinor: 3_000_000, transactions: 300 }, [STATE_AMOUNT_ONLY, FEDERAL_2026])).toEqual(['US', 'US-MA']);
    expect(jurisdictionsMet({ grossMinor: 100_000, transactions: 3 }, [FEDERAL_2026, STATE_AMOUNT_ONLY])).toEqual(['US-MA']);
    expect(jurisdictionsMet({ grossMinor: 0, transactions: 0 }, [FEDERAL_2026])).toEqual([]);
  });

  const threshold = fc.record({
    grossMinor: fc.integer({ min: 0, max: 1e12 }),
    transactions: fc.integer({ min: 0, max: 1e6 }),
  });

  it('is met one cent over the amount with one transaction over the count, and not at the amount or the count', () => {
    fc.assert(
      fc.property(threshold, fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e5 }), (limits, extraMinor, extraCount) => {
        const rule: TaxThreshold = { jurisdiction: 'US', taxYear: 2026, source: 's', ...limits };
        const justOverBoth = { grossMinor: limits.grossMinor + 1, transactions: limits.transactions + 1 };
        expect(thresholdStatus(justOverBoth, rule).met).toBe(true);
        // Just under by amount (at it), whatever the count.
        expect(thresholdStatus({ grossMinor: limits.grossMinor, transactions: limits.transactions + extraCount }, rule).met).toBe(false);
        // Just under by count (at it), whatever the amount.
        expect(thresholdStatus({ grossMinor: limits.grossMinor + extraMinor, transactions: limits.transactions }, rule).met).toBe(false);
      }),
    );
  });

  it('is monotonic: more gross or more transactions never un-meets a threshold', () => {
    fc.assert(
      fc.property(threshold, fc.nat(1e12), fc.nat(1e6), fc.nat(1e9), fc.nat(1e5), (limits, gross, count, moreGross, moreCount) => {
        const rule: TaxThreshold = { jurisdiction: 'US', taxYear: 2026, source: 's', ...limits };
        const before = thresholdStatus({ grossMinor: gross, transactions: count }, rule).met;
        const after = thresholdStatus({ grossMinor: gross + moreGross, transactions: count + moreCount }, rule).met;
        expect(!before || after).toBe(true);
      }),
    );
  });

  it('agrees with the statute read literally: gross > amount AND count > count', () => {
    fc.assert(
      fc.property(threshold, fc.nat(1e12), fc.nat(1e6), (limits, gross, count) => {
        const rule: TaxThreshold = { jurisdiction: 'US', taxYear: 2026, source: 's', ...limits };
        expect(thresholdStatus({ grossMinor: gross, transactions: count }, rule).met).toBe(gross > limits.grossMinor && count > limits.transactions);
      }),
    );
  });
});
