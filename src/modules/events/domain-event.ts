/**
 * A fact one module announces to others, stored in `domain_events` by the transaction that made
 * it true (migrations/1796300120000-CreateDomainEvents.ts), which also enqueues its delivery to
 * subscribers (delivery/). `dedupKey` makes it happen at most once per tenant and type (e.g. a
 * threshold crossed once per venue, year and jurisdiction); `resourceKey` (e.g. `venue:<id>`) is
 * what subscribers receive in order.
 */
export interface DomainEvent {
  type: DomainEventType;
  dedupKey?: string;
  resourceKey?: string;
  payload: Record<string, unknown>;
}

/** Every event other services can subscribe to (issue 12, "Events out"). */
export const DOMAIN_EVENT_TYPES = [
  'venue.verification_updated',
  'venue.payout_eligibility_changed',
  'screening.match_opened',
  'sanctions.list_updated',
  'tax.threshold_crossed',
  'privacy.request_due_soon',
] as const;

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];
