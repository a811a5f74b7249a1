import type { RecordTaxTransaction } from '../tax/dto/tax.dto';

/** What an inbound event asks of this service, decided from its content alone. */
export type WebhookAction =
  | { kind: 'record'; tenantId: string; transaction: RecordTaxTransaction }
  /** Stripe reports refunds as the charge's cumulative `amount_refunded`: the ledger takes the difference. */
  | { kind: 'cumulative_refund'; tenantId: string; charge: RecordTaxTransaction; amountRefundedMinor: number; refundedAt: string }
  | { kind: 'kyc_signal'; tenantId: string; venueId: string; details: Record<string, unknown> }
  | { kind: 'ignore'; reason: string };

export interface InboundEvent {
  source: 'stripe' | 'platform';
  id: string;
  type: string;
  action: WebhookAction;
}
