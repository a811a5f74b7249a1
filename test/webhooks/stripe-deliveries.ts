import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'light-my-request';
import Stripe from 'stripe';
import { TEST_SECRETS } from '../helpers/test-app';

export const nowUnixSeconds = (): number => Math.floor(Date.now() / 1000);

let sequence = 0;
/** An id no other test or run has used: the inbox keeps event ids per source for good. */
export const uniqueId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${(sequence += 1)}`;

/** A Stripe event as Stripe serialises it; `created` (unix seconds) is what orders out-of-order deliveries. */
export function stripeEvent(type: string, object: Record<string, unknown>, event: { id?: string; created?: number } = {}): string {
  return JSON.stringify({ id: event.id ?? uniqueId('evt'), object: 'event', type, created: event.created ?? nowUnixSeconds(), api_version: '2025-01-01', data: { object } }, null, 2);
}

/** POSTs the exact bytes to /webhooks/stripe, signed with Stripe's own helper; `null` sends no Stripe-Signature. */
export function deliverStripe(
  app: NestFastifyApplication,
  payload: string,
  signature: string | null = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET }),
): Promise<Response> {
  return app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json; charset=utf-8', ...(signature === null ? {} : { 'stripe-signature': signature }) }, payload });
}
