import { type TaxThreshold, thresholdStatus } from '../../tax/tax-thresholds';
import type { LedgerTotals } from '../../tax/tax-totals';
import type { RiskFactorWeight } from './risk-score';
import { activityPeriods, observeTransactionActivity, type TransactionActivity, VELOCITY_MINIMUM_CENTS } from './transaction-activity-facts';

const weight = (key: string, threshold: number | null): [string, RiskFactorWeight] => [key, { key, points: 15, description: '', threshold }];
const weights = new Map([weight('tax.threshold_crossed', null), weight('volume.observed_over_expected', 200), weight('velocity.spike', 300)]);

const FEDERAL: TaxThreshold = { jurisdiction: 'US', taxYear: 2029, grossMinor: 2_000_000, transactions: 200, source: 'IRC §6050W(e)' };
const STATE: TaxThreshold = { jurisdiction: 'US-MA', taxYear: 2029, grossMinor: 59_999, transactions: null, source: 'state' };
/** 1 April 2029: 90 days of the year have passed. */
const APRIL = new Date('2029-04-01T00:00:00Z');

const net = (netMinor: number, reversedMinor = 0): LedgerTotals => ({ grossMinor: netMinor + reversedMinor, transactions: 1, reversedMinor, netMinor });
const quiet = net(0);

function activity(overrides: { now?: Date; gross?: number; transactions?: number; thresholds?: TaxThreshold[]; yearToDate?: LedgerTotals; window?: LedgerTotals; baseline?: LedgerTotals } = {}): TransactionActivity {
  const totals = { grossMinor: overrides.gross ?? 0, transactions: overrides.transactions ?? 0 };
  return {
    now: overrides.now ?? APRIL,
    taxYear: { ...totals, reversedMinor: 0, netMinor: totals.grossMinor, monthlyGrossMinor: [], thresholds: (overrides.thresholds ?? [FEDERAL]).map((threshold) => thresholdStatus(totals, threshold)) },
    totals: { yearToDate: overrides.yearToDate ?? quiet, window: overrides.window ?? quiet, baseline: overrides.baseline ?? quiet },
  };
}
const keys = (observed: TransactionActivity, expected = 1_000_000): string[] => observeTransactionActivity(observed, expected, weights).map((observation) => observation.key);

describe('transaction activity observations', () => {
  it('reads the calendar year to now, the last 30 days and the 90 before them', () => {
    expect(activityPeriods(new Date('2029-06-30T12:00:00Z'))).toEqual({
      yearToDate: { from: new Date('2029-01-01T00:00:00Z'), to: new Date('2029-06-30T12:00:00Z') },
      window: { from: new Date('2029-05-31T12:00:00Z'), to: new Date('2029-06-30T12:00:00Z') },
      baseline: { from: new Date('2029-03-02T12:00:00Z'), to: new Date('2029-05-31T12:00:00Z') },
    });
  });

  it('observes nothing for a venue without sales', () => {
    expect(keys(activity())).toEqual([]);
  });

  it('observes each 1099-K threshold the year exceeds by both amount and count, with the figures', () => {
    expect(observeTransactionActivity(activity({ gross: 2_000_001, transactions: 201, thresholds: [FEDERAL, STATE] }), 0, weights)).toEqual([
      { key: 'tax.threshold_crossed', evidence: { year: 2029, jurisdiction: 'US', grossCents: 2_000_001, transactionCount: 201, grossThresholdCents: 2_000_000, transactionThreshold: 200 } },
      { key: 'tax.threshold_crossed', evidence: { year: 2029, jurisdiction: 'US-MA', grossCents: 2_000_001, transactionCount: 201, grossThresholdCents: 59_999, transactionThreshold: null } },
    ]);
    expect(keys(activity({ gross: 2_000_000, transactions: 5_000 }))).toEqual([]);
    expect(keys(activity({ gross: 9_000_000, transactions: 200 }))).toEqual([]);
  });

  it('annualises net sales to date against the declared volume, from the weight\'s percent on', () => {
    // 90 days of 365: $9,000 to date is $36,500 a year, exactly 200 % of $18,250.
    expect(observeTransactionActivity(activity({ yearToDate: net(900_000, 100_000) }), 1_825_000, weights)).toEqual([
      {
        key: 'volume.observed_over_expected',
        evidence: { year: 2029, grossCents: 1_000_000, reversedCents: 100_000, netCents: 900_000, annualisedNetCents: 3_650_000, expectedAnnualVolumeCents: 1_825_000, ratioPercent: 200, thresholdPercent: 200 },
      },
    ]);
    expect(keys(activity({ yearToDate: net(900_000, 100_000) }), 1_825_001)).toEqual([]);
  });

  it('counts refunds against volume: the same charges refunded are no longer over the expectation', () => {
    expect(keys(activity({ yearToDate: net(1_000_000) }), 1_825_000)).toEqual(['volume.observed_over_expected']);
    expect(keys(activity({ yearToDate: net(800_000, 200_000) }), 1_825_000)).toEqual([]);
  });

  it('annualises the first weeks of a year as if a month had passed', () => {
    // 4 days in: $1,000 over 30 days is $12,167 a year (121 %), not $91,250 (912 %).
    expect(keys(activity({ now: new Date('2029-01-05T00:00:00Z'), yearToDate: net(100_000) }), 1_000_000)).toEqual([]);
    expect(keys(activity({ now: new Date('2029-01-05T00:00:00Z'), yearToDate: net(200_000) }), 1_000_000)).toEqual(['volume.observed_over_expected']);
  });

  it('compares volume with nothing when the venue declared none, or the catalogue has no threshold', () => {
    expect(keys(activity({ yearToDate: net(50_000_000) }), 0)).toEqual([]);
    const unthresholded = new Map([...weights, weight('volume.observed_over_expected', null)]);
    expect(observeTransactionActivity(activity({ yearToDate: net(50_000_000) }), 1_000, unthresholded)).toEqual([]);
  });

  it('sees a spike when the last 30 days reach the weight\'s percent of the 90 days before, per 30 days', () => {
    expect(observeTransactionActivity(activity({ window: net(600_000), baseline: net(600_000) }), 0, weights)).toEqual([
      {
        key: 'velocity.spike',
        evidence: { windowDays: 30, windowNetCents: 600_000, baselineDays: 90, baselineNetCents: 600_000, baselinePerWindowCents: 200_000, ratioPercent: 300, thresholdPercent: 300, minimumCents: VELOCITY_MINIMUM_CENTS },
      },
    ]);
    expect(keys(activity({ window: net(599_999), baseline: net(600_000) }), 0)).toEqual([]);
    // $6,000 charged, $1,000 of it refunded: 250 %.
    expect(keys(activity({ window: net(500_000, 100_000), baseline: net(600_000) }), 0)).toEqual([]);
  });

  it('needs the minimum in the window: a first sale is no spike, a first $5,000 is', () => {
    expect(keys(activity({ window: net(VELOCITY_MINIMUM_CENTS - 1) }), 0)).toEqual([]);
    expect(observeTransactionActivity(activity({ window: net(VELOCITY_MINIMUM_CENTS) }), 0, weights)).toEqual([
      { key: 'velocity.spike', evidence: expect.objectContaining({ windowNetCents: VELOCITY_MINIMUM_CENTS, baselineNetCents: 0, ratioPercent: null }) },
    ]);
  });
});
