import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Stripe from 'stripe';
import { z } from 'zod';
import { Clock } from '../../common/clock';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import type { AppConfig, WebhooksConfig } from '../../config/app-config';
import { type TenantTransaction, TenantTransactions } from '../../database/tenant-transaction';
import type { AuditActor } from '../audit/audit-entry';
import { TaxTransactionsService } from '../tax/transactions/tax-transactions.service';
import { ProcessorAccountsService } from '../venues/processor-accounts/processor-accounts.service';
import { VerificationsService } from '../venues/verifications/verifications.service';
import { platformEventSchema, type WebhookReceipt } from './dto/webhook.dto';
import { mapPlatformEvent } from './platform-event.mapper';
import { verifyPlatformSignature } from './platform-signature';
import { mapStripeEvent, stripeFieldSchema, unixSecondsSchema } from './stripe-event.mapper';
import type { InboundEvent, WebhookAction } from './webhook-action';
import { WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhookPayloadError, WebhookSignatureError } from './webhooks.errors';

/** What every Stripe event has and this service reads: its id and type are stored (webhook_events). */
const stripeEnvelopeSchema = z.object({ id: stripeFieldSchema, type: stripeFieldSchema, created: unixSecondsSchema, data: z.object({ object: z.unknown() }) });

/** Stripe's default, and the platform's (platform-signature.ts). */
const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * Verifies, stores once and applies inbound events. Storing the event and applying it commit in
 * one tenant transaction: a redelivery of an applied event answers 200 without applying it again,
 * and a failure rolls both back and answers 5xx, so the sender retries. Neither bodies nor
 * signatures are ever logged: types, ids and the reason an event was ignored are.
 */
@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);
  private readonly config: WebhooksConfig;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly inbox: WebhookInboxRepository,
    private readonly tax: TaxTransactionsService,
    private readonly verifications: VerificationsService,
    private readonly processorAccounts: ProcessorAccountsService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.config = config.get('webhooks', { infer: true });
  }

  receiveStripe(rawBody: Buffer | undefined, signature: string | undefined, requestId: string): Promise<WebhookReceipt> {
    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(rawBody ?? Buffer.alloc(0), signature ?? '', this.config.stripeSecret, STRIPE_TOLERANCE_SECONDS, undefined, this.clock.now().getTime());
    } catch (error) {
      throw stripeRefusal(error);
    }
    // Signed, yet constructEvent only parses the JSON: any shape the sender signed arrives here.
    const envelope = stripeEnvelopeSchema.safeParse(event);
    if (!envelope.success) throw new WebhookPayloadError('A Stripe event must be an object with an id and a type (text of 1–255 characters), created (unix seconds) and data.object');
    return this.handle({ source: 'stripe', id: envelope.data.id, type: envelope.data.type, action: mapStripeEvent(envelope.data) }, requestId);
  }

  receivePlatform(rawBody: Buffer | undefined, body: unknown, signature: string | undefined, requestId: string): Promise<WebhookReceipt> {
    verifyPlatformSignature(rawBody ?? Buffer.alloc(0), signature, this.config.platformSecrets, Math.floor(this.clock.now().getTime() / 1000));
    const event = new ZodValidationPipe(platformEventSchema).transform(body);
    const action = mapPlatformEvent(event);
    if ('errors' in action) throw new WebhookPayloadError(`Event ${event.type} has invalid data: ${action.errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
    return this.handle({ source: 'platform', id: event.id, type: event.type, action }, requestId);
  }

  private async handle(event: InboundEvent, requestId: string): Promise<WebhookReceipt> {
    const { action } = event;
    if (action.kind === 'ignore') return this.ignored(event, action.reason);
    const outcome = await this.transactions.withTenantTransaction({ tenantId: action.tenantId }, async (tx) => {
      // Before the claim: an event about a venue the tenant does not know leaves nothing behind.
      if (action.kind === 'kyc_signal' && !(await this.verifications.isKnownVenue(tx, action.tenantId, action.venueId))) return 'unknown_venue' as const;
      const claimed = await this.inbox.claim(tx, action.tenantId, event.source, event.id, event.type);
      if (claimed === undefined) return 'duplicate' as const;
      await this.apply(tx, event, action, { tenantId: action.tenantId, actor: `webhook:${event.source}`, actorRoles: ['service'], requestId });
      await this.inbox.markProcessed(tx, action.tenantId, claimed);
      return 'applied' as const;
    });
    if (outcome === 'unknown_venue') return this.ignored(event, 'no verification of this venue in the tenant');
    this.logger.log({ source: event.source, type: event.type, eventId: event.id, tenantId: action.tenantId, outcome }, 'Webhook event received');
    return { received: true, outcome };
  }

  private ignored(event: InboundEvent, reason: string): WebhookReceipt {
    this.logger.log({ source: event.source, type: event.type, reason }, 'Webhook event ignored');
    return { received: true, outcome: 'ignored' };
  }

  private async apply(tx: TenantTransaction, event: InboundEvent, action: Exclude<WebhookAction, { kind: 'ignore' }>, actor: AuditActor): Promise<void> {
    switch (action.kind) {
      case 'record':
        await this.tax.recordIn(tx, action.tenantId, action.transaction, event.source, actor.actor);
        return;
      case 'cumulative_refund':
        await this.tax.recordCumulativeRefund(tx, action.tenantId, action.charge, action.amountRefundedMinor, action.refundedAt, event.source, actor.actor);
        return;
      case 'kyc_signal':
        await this.processorAccounts.applyReport(tx, action.tenantId, action.venueId, event.id, action.report, actor);
        return;
    }
  }
}

/** Stripe's messages say what failed without quoting the header or body; ours are shorter still. */
function stripeRefusal(error: unknown): Error {
  if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) return error instanceof Error ? error : new Error(String(error));
  if (error.message.includes('tolerance')) {
    return new WebhookSignatureError(`The Stripe-Signature timestamp is more than ${STRIPE_TOLERANCE_SECONDS} s old: a replay, or a delivery delayed too long`, 'WEBHOOK.STALE_SIGNATURE');
  }
  if (error.message.includes('No signatures found matching')) {
    return new WebhookSignatureError('No signature in Stripe-Signature matches the body: not signed with STRIPE_WEBHOOK_SECRET, or the body was changed');
  }
  return new WebhookSignatureError('The Stripe-Signature header is missing or malformed, or the body is empty (expected "t=<unix seconds>,v1=<hex>")');
}
