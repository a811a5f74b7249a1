import type { RecordTaxTransaction } from '../tax/dto/tax.dto';
import type { ProcessorAccountReport } from '../venues/processor-accounts/processor-account';

/** What an inbound event asks of this service, decided from its content alone. */
export type WebhookAction =
  | { kind: 'record'; tenantId: string; transaction: RecordTaxTransaction }
  /** Stripe reports refunds as the charge's cumulative `amount_refunded`: the ledger takes the difference. */
  | { kind: 'cumulative_refund'; tenantId: string; charge: RecordTaxTransaction; amountRefundedMinor: number; refundedAt: string }
  /** What the processor says of the venue's connected account: a signal on its verification. */
  | { kind: 'kyc_signal'; tenantId: string; venueId: string; report: ProcessorAccountReport }
  | { kind: 'ignore'; reason: string };

export interface InboundEvent {
  source: 'stripe' | 'platform';
  id: string;
  type: string;
  action: WebhookAction;
}
