/**
 * How transactions add up on Form 1099-K.
 *
 * - Gross counts charges only, and refunds and chargebacks do NOT reduce it: the form reports the
 *   gross amount "without regard to any adjustments for credits, cash equivalents, discount
 *   amounts, fees, refunded amounts, or any other amounts" (26 CFR §1.6050W-1(a)(6); IRS, "What to
 *   do with Form 1099-K": Box 1a is not adjusted for refunds). The threshold test uses the same
 *   gross. Refunds and chargebacks are tracked as `reversedMinor`, and `netMinor` = gross −
 *   reversed, for the payee's reconciliation, not for the form.
 * - The transaction count counts charges; a refund or chargeback is not a new payment transaction.
 * - Transfers settle charges already counted (to the venue's account): recorded, never counted.
 * - A transaction belongs to the month and year of `occurredAt` in UTC; only USD is tracked.
 */
export type TaxTransactionKind = 'charge' | 'refund' | 'chargeback' | 'transfer';

export const TAX_TRANSACTION_KINDS: readonly TaxTransactionKind[] = ['charge', 'refund', 'chargeback', 'transfer'];

export function isReversal(kind: TaxTransactionKind): boolean {
  return kind === 'refund' || kind === 'chargeback';
}

/** One month of a venue's year, as the database aggregates it (month 1-12). */
export interface MonthlyAggregate {
  month: number;
  grossMinor: number;
  transactions: number;
  reversedMinor: number;
}

/** A venue's USD charges and reversals over some time, counted as above. */
export interface LedgerTotals {
  grossMinor: number;
  transactions: number;
  reversedMinor: number;
  netMinor: number;
}

export interface YearTotals extends LedgerTotals {
  /** Boxes 5a-5l: January first, zero for months without charges. */
  monthlyGrossMinor: number[];
}

export function yearTotals(months: readonly MonthlyAggregate[]): YearTotals {
  const monthlyGrossMinor: number[] = Array.from({ length: 12 }, () => 0);
  let transactions = 0;
  let reversedMinor = 0;
  for (const month of months) {
    monthlyGrossMinor[month.month - 1] = (monthlyGrossMinor[month.month - 1] ?? 0) + month.grossMinor;
    transactions += month.transactions;
    reversedMinor += month.reversedMinor;
  }
  const grossMinor = monthlyGrossMinor.reduce((sum, amount) => sum + amount, 0);
  return { grossMinor, transactions, reversedMinor, netMinor: grossMinor - reversedMinor, monthlyGrossMinor };
}

/** The instants from `from` (inclusive) to `to` (exclusive). */
export interface LedgerPeriod {
  from: Date;
  to: Date;
}

/** [1 January, 1 January of the next year) in UTC. */
export function taxYearBounds(year: number): LedgerPeriod {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

export function taxYearOf(instant: Date): number {
  return instant.getUTCFullYear();
}
