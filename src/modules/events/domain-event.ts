/**
 * A fact one module announces to others, stored in `domain_events` by the transaction that made
 * it true (migrations/1796300120000-CreateDomainEvents.ts). `dedupKey` makes it happen at most
 * once per tenant and type (e.g. a threshold crossed once per venue, year and jurisdiction).
 */
export interface DomainEvent {
  type: string;
  dedupKey?: string;
  payload: Record<string, unknown>;
}
