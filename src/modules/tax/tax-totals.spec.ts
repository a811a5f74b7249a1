import fc from 'fast-check';
import { taxYearBounds, taxYearOf, yearTotals } from './tax-totals';

describe('yearly totals of Form 1099-K', () => {
  it('puts each month in its box and leaves months without charges at zero', () => {
    const totals = yearTotals([
      { month: 1, grossMinor: 1_000, transactions: 2, reversedMinor: 0 },
      { month: 12, grossMinor: 500, transactions: 1, reversedMinor: 200 },
    ]);
    expect(totals).toEqual({ grossMinor: 1_500, transactions: 3, reversedMinor: 200, netMinor: 1_300, monthlyGrossMinor: [1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500] });
  });

  it('never lets refunds reduce the gross, only the net', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ month: fc.integer({ min: 1, max: 12 }), grossMinor: fc.nat(1e9), transactions: fc.nat(1e4), reversedMinor: fc.nat(1e9) }), { maxLength: 24 }), (months) => {
        const totals = yearTotals(months);
        expect(totals.grossMinor).toBe(months.reduce((sum, month) => sum + month.grossMinor, 0));
        expect(totals.monthlyGrossMinor.reduce((sum, amount) => sum + amount, 0)).toBe(totals.grossMinor);
        expect(totals.netMinor).toBe(totals.grossMinor - totals.reversedMinor);
      }),
    );
  });

  it('bounds a tax year in UTC', () => {
    expect(taxYearBounds(2026)).toEqual({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(taxYearOf(new Date('2026-12-31T23:59:59.999Z'))).toBe(2026);
    expect(taxYearOf(new Date('2026-12-31T23:30:00-05:00'))).toBe(2027);
  });
});
