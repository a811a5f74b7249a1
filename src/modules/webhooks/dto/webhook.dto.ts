import { z } from 'zod';
import { venueIdSchema } from '../../venues/dto/venue-params.dto';
import { externalIdSchema } from '../../tax/dto/tax.dto';

/** The envelope of every platform event; `data` is checked per type (below). */
export const platformEventSchema = z.strictObject({
  id: externalIdSchema.describe('unique per event: a redelivery carries the same id'),
  type: z.string().regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, { message: 'must look like ticket_sale.completed' }),
  tenantId: z.uuid({ message: 'must be the tenant\'s UUID' }),
  data: z.record(z.string(), z.unknown()),
});
export type PlatformEvent = z.infer<typeof platformEventSchema>;

const saleFields = {
  venueId: venueIdSchema,
  currency: z.string(),
  occurredAt: z.string(),
};

/** A ticket sale was paid: one charge (a reportable payment transaction). */
export const ticketSaleCompletedSchema = z.strictObject({ saleId: externalIdSchema, amount: z.number().int().positive(), ...saleFields });
/** Part or all of a sale was refunded: `amount` is what this refund returns, positive. */
export const ticketSaleRefundedSchema = z.strictObject({ refundId: externalIdSchema, saleId: externalIdSchema, amount: z.number().int().positive(), ...saleFields });

export const PLATFORM_EVENT_TYPES = ['ticket_sale.completed', 'ticket_sale.refunded'] as const;

export const webhookReceiptSchema = z.object({
  received: z.literal(true),
  outcome: z.enum(['applied', 'duplicate', 'ignored']).describe('duplicate: this event id was applied before; ignored: not an event this service acts on'),
});
export type WebhookReceipt = z.infer<typeof webhookReceiptSchema>;
