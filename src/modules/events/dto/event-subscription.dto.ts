import { z } from 'zod';
import { DOMAIN_EVENT_TYPES } from '../domain-event';

export const createEventSubscriptionSchema = z
  .object({
    url: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').max(2_000).describe('where events are POSTed'),
    eventTypes: z.array(z.enum(DOMAIN_EVENT_TYPES)).min(1).describe('the event types delivered'),
    tenantId: z.string().uuid().nullable().default(null).describe('only this tenant\'s events; null: every tenant'),
    secret: z.string().min(32, 'at least 32 characters').max(256).describe('signs each delivery (X-Signature: t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">)'),
  })
  .strict();
export type CreateEventSubscription = z.infer<typeof createEventSubscriptionSchema>;

export const subscriptionIdSchema = z.object({ id: z.string().uuid() }).strict();
export const deliveryIdSchema = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a delivery id') }).strict();

export const deliveryListQuerySchema = z.object({ status: z.enum(['pending', 'delivered', 'dead']).optional() }).strict();
export type DeliveryListQuery = z.infer<typeof deliveryListQuerySchema>;

export interface EventSubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  tenantId: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
}

export interface DeliveryAttemptView {
  attempt: number;
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface EventDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  resourceKey: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: DeliveryAttemptView[];
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
}
