import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';
import { TaxLedgerRepository } from './tax-ledger.repository';
import { type ThresholdStatus, thresholdStatus } from './tax-thresholds';
import { type LedgerPeriod, type LedgerTotals, type YearTotals, yearTotals } from './tax-totals';

/** A venue's calendar year as Form 1099-K sees it, and its standing against every threshold of that year. */
export interface VenueTaxYear extends YearTotals {
  thresholds: ThresholdStatus[];
}

/**
 * What the ledger says about one venue, for the tax summary and for other modules (risk scoring
 * reads transaction activity here): always in the caller's tenant transaction, so row-level
 * security keeps it to the caller's tenant.
 */
@Injectable()
export class VenueLedgerReader {
  constructor(private readonly ledger: TaxLedgerRepository) {}

  /** The one place the threshold test meets a venue's year: the summary, and risk's `tax.threshold_crossed`. */
  async taxYear(tx: TenantTransaction, tenantId: string, venueId: string, year: number): Promise<VenueTaxYear> {
    const thresholds = await this.ledger.thresholds(tx, year);
    const totals = yearTotals(await this.ledger.monthly(tx, tenantId, venueId, year));
    return { ...totals, thresholds: thresholds.map((threshold) => thresholdStatus(totals, threshold)) };
  }

  periodTotals<K extends string>(tx: TenantTransaction, tenantId: string, venueId: string, periods: Readonly<Record<K, LedgerPeriod>>): Promise<Record<K, LedgerTotals>> {
    return this.ledger.periodTotals(tx, tenantId, venueId, periods);
  }
}
