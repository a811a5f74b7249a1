/**
 * Probes and scrapes are never shed, queued or throttled: a liveness probe that times out under
 * load gets a busy pod restarted and the overload cascades to the others; a scrape that is refused
 * hides the overload from the dashboards.
 */
export function isExemptPath(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?'));
}

export const WEBHOOK_PATH_PREFIX = '/webhooks/';

/**
 * Load shedding also spares signed webhooks (Stripe, the platform): a refused delivery is not
 * lost work saved but work postponed, since the sender retries with backoff (Stripe for up to three
 * days), and each retry costs another signature check and a payment event reported late. They
 * stay throttled and logged, under their own `webhook` rate limit (@WebhookRateLimit).
 */
export function isShedExemptPath(url: string | undefined): boolean {
  return isExemptPath(url) || (url !== undefined && url.startsWith(WEBHOOK_PATH_PREFIX));
}
