import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../common/storable-text';
import { venueIdSchema } from '../venues/dto/venue-params.dto';
import type { WebhookAction } from './webhook-action';

/** Stored as it comes (events, ledger, audit): text PostgreSQL can hold, in a btree-indexable length. */
const storableString = z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
/** Ids (Stripe documents them as at most 255 characters) and event types. */
export const stripeFieldSchema = storableString.pipe(z.string().min(1).max(255));
/** Unix seconds a JavaScript Date can hold (up to 9999-12-31): beyond, toISOString throws. */
export const unixSecondsSchema = z.number().int().positive().max(253_402_300_799);

/** The fields this service reads of Stripe objects; everything else in them is ignored. */
const ticketingMetadata = z.object({ tenant_id: z.uuid(), venue_id: venueIdSchema });
const chargeSchema = z.object({
  id: stripeFieldSchema,
  amount: z.number().int().positive(),
  amount_refunded: z.number().int().min(0),
  currency: z.string().regex(/^[a-z]{3}$/),
  created: unixSecondsSchema,
  metadata: ticketingMetadata,
});
const transferSchema = z.object({ id: stripeFieldSchema, amount: z.number().int().positive(), currency: z.string().regex(/^[a-z]{3}$/), created: unixSecondsSchema, metadata: ticketingMetadata });
const accountSchema = z.object({
  id: stripeFieldSchema,
  metadata: ticketingMetadata,
  charges_enabled: z.boolean().optional(),
  payouts_enabled: z.boolean().optional(),
  details_submitted: z.boolean().optional(),
  requirements: z.object({ currently_due: z.array(storableString).nullish(), past_due: z.array(storableString).nullish(), disabled_reason: storableString.nullish() }).nullish(),
});

export const STRIPE_EVENT_TYPES = ['charge.succeeded', 'charge.refunded', 'transfer.created', 'account.updated'] as const;

interface StripeEventLike {
  type: string;
  created: number;
  data: { object: unknown };
}

const isoOf = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

/**
 * Stripe events → what to do. Objects must carry `metadata.tenant_id` and `metadata.venue_id`
 * (set by the platform when it creates the charge, transfer or connected account); one without
 * them, or not in USD, is not a ticketing payment this service reports, and is acknowledged and
 * ignored, as are event types it does not act on. Amounts are already in minor units.
 */
export function mapStripeEvent(event: StripeEventLike): WebhookAction {
  switch (event.type) {
    case 'charge.succeeded':
    case 'charge.refunded': {
      const charge = chargeSchema.safeParse(event.data.object);
      if (!charge.success) return ignore(charge.error);
      const { id, amount, amount_refunded, currency, created, metadata } = charge.data;
      if (currency !== 'usd') return { kind: 'ignore', reason: 'not in USD' };
      const chargeTransaction = { externalId: id, venueId: metadata.venue_id, occurredAt: isoOf(created), amount, currency: 'USD' as const, kind: 'charge' as const };
      if (event.type === 'charge.succeeded') return { kind: 'record', tenantId: metadata.tenant_id, transaction: chargeTransaction };
      return { kind: 'cumulative_refund', tenantId: metadata.tenant_id, charge: chargeTransaction, amountRefundedMinor: amount_refunded, refundedAt: isoOf(event.created) };
    }
    case 'transfer.created': {
      const transfer = transferSchema.safeParse(event.data.object);
      if (!transfer.success) return ignore(transfer.error);
      const { id, amount, currency, created, metadata } = transfer.data;
      if (currency !== 'usd') return { kind: 'ignore', reason: 'not in USD' };
      return { kind: 'record', tenantId: metadata.tenant_id, transaction: { externalId: id, venueId: metadata.venue_id, occurredAt: isoOf(created), amount, currency: 'USD' as const, kind: 'transfer' as const } };
    }
    case 'account.updated': {
      const account = accountSchema.safeParse(event.data.object);
      if (!account.success) return ignore(account.error);
      const { id, metadata, requirements } = account.data;
      return {
        kind: 'kyc_signal',
        tenantId: metadata.tenant_id,
        venueId: metadata.venue_id,
        report: {
          processor: 'stripe',
          accountId: id,
          // The event's creation, not the delivery: what orders reports delivered out of order.
          reportedAt: isoOf(event.created),
          chargesEnabled: account.data.charges_enabled ?? null,
          payoutsEnabled: account.data.payouts_enabled ?? null,
          detailsSubmitted: account.data.details_submitted ?? null,
          currentlyDue: requirements?.currently_due ?? [],
          pastDue: requirements?.past_due ?? [],
          disabledReason: requirements?.disabled_reason ?? null,
        },
      };
    }
    default:
      return { kind: 'ignore', reason: 'event type not handled' };
  }
}

/** Names the fields that did not fit, never their values (they may be personal data). */
function ignore(error: z.ZodError): WebhookAction {
  return { kind: 'ignore', reason: `object without ${[...new Set(error.issues.map((issue) => issue.path.join('.') || 'object'))].join(', ')}` };
}
