import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { RiskFactorObservation } from './risk-score';

/**
 * The seam for transaction volume and velocity factors (issue 11, with the tax module): observed
 * payouts against the expected volume, sudden spikes. The tax module will provide an
 * implementation reading its payout records, plus catalogue rows for its factor keys in a
 * migration. Until then no activity is recorded anywhere, so there is nothing to observe.
 */
export abstract class TransactionActivitySignals {
  abstract observe(tx: TenantTransaction, tenantId: string, venueId: string): Promise<RiskFactorObservation[]>;
}

/** Bound while no module records transactions: contributes no factor, invents no data. */
@Injectable()
export class NoTransactionActivitySignals extends TransactionActivitySignals {
  observe(): Promise<RiskFactorObservation[]> {
    return Promise.resolve([]);
  }
}
