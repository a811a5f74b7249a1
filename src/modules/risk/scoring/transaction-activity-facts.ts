import { type LedgerPeriod, type LedgerTotals, taxYearBounds, taxYearOf } from '../../tax/tax-totals';
import type { VenueTaxYear } from '../../tax/venue-ledger.reader';
import type { RiskFactorObservation, RiskFactorWeight } from './risk-score';

const DAY_MS = 86_400_000;

/** Velocity compares the last 30 days with the 90 before them: a quarter's baseline evens out one big show. */
const VELOCITY_WINDOW_DAYS = 30;
const VELOCITY_BASELINE_DAYS = 90;

/**
 * Below $5,000 of net sales in the window there is no spike, whatever the ratio: a new venue's first
 * sales (nothing before them) or a quiet club's one busy night are not worth an officer's look.
 * velocity.spike's catalogue description names it (migration 1797500060000).
 */
export const VELOCITY_MINIMUM_CENTS = 500_000;

/**
 * Annualising divides by at least 30 days: in a year's first weeks, one early on-sale would
 * otherwise extrapolate to many times the year.
 */
const MIN_ANNUALISING_DAYS = 30;

/** The stretches of the ledger a venue's activity is read over, ending now. */
export interface ActivityPeriods {
  yearToDate: LedgerPeriod;
  window: LedgerPeriod;
  baseline: LedgerPeriod;
}

/** A venue's ledger at `now` (the tax module's VenueLedgerReader). */
export interface TransactionActivity {
  now: Date;
  /** The current calendar year, whole: the tax summary's totals and threshold standing. */
  taxYear: VenueTaxYear;
  totals: Record<keyof ActivityPeriods, LedgerTotals>;
}

export function activityPeriods(now: Date): ActivityPeriods {
  const windowStart = new Date(now.getTime() - VELOCITY_WINDOW_DAYS * DAY_MS);
  return {
    yearToDate: { from: taxYearBounds(taxYearOf(now)).from, to: now },
    window: { from: windowStart, to: now },
    baseline: { from: new Date(windowStart.getTime() - VELOCITY_BASELINE_DAYS * DAY_MS), to: windowStart },
  };
}

/**
 * Turns a venue's transactions into factor observations (pure). The 1099-K threshold factor uses
 * the form's gross, which refunds do not reduce (tax-totals.ts), so it agrees with the tax summary
 * and the `tax.threshold_crossed` event. Volume and velocity measure net sales (charges less refunds
 * and chargebacks): a cancelled show refunded in full is not volume the venue handled. Ratio
 * thresholds are percent; a factor whose catalogue row has no threshold is not observed.
 */
export function observeTransactionActivity(activity: TransactionActivity, expectedAnnualVolumeCents: number, weights: ReadonlyMap<string, RiskFactorWeight>): RiskFactorObservation[] {
  return [...thresholdsCrossed(activity), ...overExpected(activity, expectedAnnualVolumeCents, weights), ...velocitySpike(activity, weights)];
}

/** One observation per jurisdiction whose threshold the year meets, federal first (as the tax module lists them). */
function thresholdsCrossed({ now, taxYear }: TransactionActivity): RiskFactorObservation[] {
  return taxYear.thresholds
    .filter((status) => status.met)
    .map((status) => ({
      key: 'tax.threshold_crossed',
      evidence: {
        year: taxYearOf(now),
        jurisdiction: status.jurisdiction,
        grossCents: taxYear.grossMinor,
        transactionCount: taxYear.transactions,
        grossThresholdCents: status.grossThresholdMinor,
        transactionThreshold: status.transactionThreshold,
      },
    }));
}

/** A venue that declared no expected volume (0, the submission's default) has no expectation to exceed. */
function overExpected({ now, totals }: TransactionActivity, expectedAnnualVolumeCents: number, weights: ReadonlyMap<string, RiskFactorWeight>): RiskFactorObservation[] {
  const thresholdPercent = weights.get('volume.observed_over_expected')?.threshold ?? null;
  if (thresholdPercent === null || expectedAnnualVolumeCents <= 0) return [];
  const { from, to } = taxYearBounds(taxYearOf(now));
  const elapsedMs = Math.max(now.getTime() - from.getTime(), MIN_ANNUALISING_DAYS * DAY_MS);
  const annualisedNetCents = Math.round((totals.yearToDate.netMinor * (to.getTime() - from.getTime())) / elapsedMs);
  const ratioPercent = Math.floor((annualisedNetCents * 100) / expectedAnnualVolumeCents);
  if (ratioPercent < thresholdPercent) return [];
  return [{
    key: 'volume.observed_over_expected',
    evidence: {
      year: taxYearOf(now),
      grossCents: totals.yearToDate.grossMinor,
      reversedCents: totals.yearToDate.reversedMinor,
      netCents: totals.yearToDate.netMinor,
      annualisedNetCents,
      expectedAnnualVolumeCents,
      ratioPercent,
      thresholdPercent,
    },
  }];
}

/** With no net sales in the baseline, any window over the minimum is a spike (`ratioPercent` null): a dormant account waking up. */
function velocitySpike({ totals }: TransactionActivity, weights: ReadonlyMap<string, RiskFactorWeight>): RiskFactorObservation[] {
  const thresholdPercent = weights.get('velocity.spike')?.threshold ?? null;
  const windowNetCents = totals.window.netMinor;
  if (thresholdPercent === null || windowNetCents < VELOCITY_MINIMUM_CENTS) return [];
  const baselineNetCents = totals.baseline.netMinor;
  const ratioPercent = baselineNetCents > 0 ? Math.floor((windowNetCents * 100 * VELOCITY_BASELINE_DAYS) / (baselineNetCents * VELOCITY_WINDOW_DAYS)) : null;
  if (ratioPercent !== null && ratioPercent < thresholdPercent) return [];
  return [{
    key: 'velocity.spike',
    evidence: {
      windowDays: VELOCITY_WINDOW_DAYS,
      windowNetCents,
      baselineDays: VELOCITY_BASELINE_DAYS,
      baselineNetCents,
      baselinePerWindowCents: Math.round((baselineNetCents * VELOCITY_WINDOW_DAYS) / VELOCITY_BASELINE_DAYS),
      ratioPercent,
      thresholdPercent,
      minimumCents: VELOCITY_MINIMUM_CENTS,
    },
  }];
}
