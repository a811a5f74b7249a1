import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import { taxYearOf } from '../../tax/tax-totals';
import { VenueLedgerReader } from '../../tax/venue-ledger.reader';
import type { RiskFactorObservation, RiskFactorWeight } from './risk-score';
import { activityPeriods, observeTransactionActivity } from './transaction-activity-facts';

/** What the assessment already knows that activity is judged against. */
export interface ActivityContext {
  /** The assessment's instant (the injected Clock): the calendar year and the windows end here. */
  now: Date;
  expectedAnnualVolumeCents: number;
  weights: ReadonlyMap<string, RiskFactorWeight>;
}

/**
 * Transaction activity as risk factors (1099-K thresholds, volume, velocity; issues 11 and 12):
 * the venue's payments as the tax module records them, read in the assessment's tenant transaction.
 */
@Injectable()
export class TransactionActivitySignals {
  constructor(private readonly ledger: VenueLedgerReader) {}

  async observe(tx: TenantTransaction, tenantId: string, venueId: string, context: ActivityContext): Promise<RiskFactorObservation[]> {
    const taxYear = await this.ledger.taxYear(tx, tenantId, venueId, taxYearOf(context.now));
    const totals = await this.ledger.periodTotals(tx, tenantId, venueId, activityPeriods(context.now));
    return observeTransactionActivity({ now: context.now, taxYear, totals }, context.expectedAnnualVolumeCents, context.weights);
  }
}
