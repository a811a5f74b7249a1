import { z } from 'zod';
import { recordTaxTransactionSchema } from '../tax/dto/tax.dto';
import { type PlatformEvent, ticketSaleCompletedSchema, ticketSaleRefundedSchema } from './dto/webhook.dto';
import type { WebhookAction } from './webhook-action';

export interface InvalidPlatformData {
  errors: Array<{ field: string; message: string }>;
}

/**
 * Platform events → what to do. The platform is our own sender, so a known type with bad data is
 * a bug to report (400 naming the fields) rather than something to skip; unknown types are
 * acknowledged and ignored, so the platform can add events before this service acts on them.
 */
export function mapPlatformEvent(event: PlatformEvent): WebhookAction | InvalidPlatformData {
  switch (event.type) {
    case 'ticket_sale.completed': {
      const data = ticketSaleCompletedSchema.safeParse(event.data);
      if (!data.success) return invalid(data.error);
      const { saleId, venueId, amount, currency, occurredAt } = data.data;
      return asRecord(event.tenantId, { externalId: saleId, venueId, occurredAt, amount, currency, kind: 'charge' });
    }
    case 'ticket_sale.refunded': {
      const data = ticketSaleRefundedSchema.safeParse(event.data);
      if (!data.success) return invalid(data.error);
      const { refundId, saleId, venueId, amount, currency, occurredAt } = data.data;
      return asRecord(event.tenantId, { externalId: refundId, venueId, occurredAt, amount: -amount, currency, kind: 'refund', originalExternalId: saleId });
    }
    default:
      return { kind: 'ignore', reason: 'event type not handled' };
  }
}

/** The same rules as POST /api/v1/tax/transactions (USD, date-time, sign). */
function asRecord(tenantId: string, candidate: Record<string, unknown>): WebhookAction | InvalidPlatformData {
  const transaction = recordTaxTransactionSchema.safeParse(candidate);
  if (!transaction.success) return invalid(transaction.error, { externalId: 'saleId' });
  return { kind: 'record', tenantId, transaction: transaction.data };
}

function invalid(error: z.ZodError, renamed: Record<string, string> = {}): InvalidPlatformData {
  return {
    errors: error.issues.map((issue) => {
      const field = issue.path.map(String).map((part) => renamed[part] ?? part).join('.');
      return { field: field === '' ? 'data' : `data.${field}`, message: issue.message };
    }),
  };
}
