/**
 * Probes and scrapes are never shed, queued or throttled: a liveness probe that times out under
 * load gets a busy pod restarted and the overload cascades to the others; a scrape that is refused
 * hides the overload from the dashboards. (Signed webhooks will join this list.)
 */
export function isExemptPath(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?'));
}
