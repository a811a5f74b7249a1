/**
 * Form 1099-K thresholds and the test a payee's yearly totals are put to. The values are data
 * (table tax_thresholds, seeded by migrations/1796300000000-CreateTaxThresholds.ts, which cites
 * the law); this file only knows the shape of the test: IRC §6050W(e) reports a payee whose gross
 * amount *exceeds* the amount *and* whose transactions *exceed* the count. A NULL count means a
 * jurisdiction that tests the amount only.
 */
export interface TaxThreshold {
  jurisdiction: string;
  taxYear: number;
  grossMinor: number;
  transactions: number | null;
  source: string;
}

/** What the form reports for a payee and year (see tax-totals.ts for what counts). */
export interface TaxTotals {
  grossMinor: number;
  transactions: number;
}

export interface ThresholdStatus {
  jurisdiction: string;
  grossThresholdMinor: number;
  transactionThreshold: number | null;
  grossExceeded: boolean;
  transactionsExceeded: boolean;
  met: boolean;
  source: string;
}

export const FEDERAL_JURISDICTION = 'US';

export function thresholdStatus(totals: TaxTotals, threshold: TaxThreshold): ThresholdStatus {
  const grossExceeded = totals.grossMinor > threshold.grossMinor;
  const transactionsExceeded = threshold.transactions === null || totals.transactions > threshold.transactions;
  return {
    jurisdiction: threshold.jurisdiction,
    grossThresholdMinor: threshold.grossMinor,
    transactionThreshold: threshold.transactions,
    grossExceeded,
    transactionsExceeded,
    met: grossExceeded && transactionsExceeded,
    source: threshold.source,
  };
}

/** The jurisdictions (federal first) whose threshold these totals meet: empty = no 1099-K needed. */
export function jurisdictionsMet(totals: TaxTotals, thresholds: readonly TaxThreshold[]): string[] {
  return thresholds
    .filter((threshold) => thresholdStatus(totals, threshold).met)
    .map((threshold) => threshold.jurisdiction)
    .sort((a, b) => (a === FEDERAL_JURISDICTION ? -1 : b === FEDERAL_JURISDICTION ? 1 : a.localeCompare(b)));
}
