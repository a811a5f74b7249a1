export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';
export const HTTP_REQUESTS_TOTAL = 'http_requests_total';
export const HTTP_REQUESTS_IN_FLIGHT = 'http_requests_in_flight';

export const HTTP_LABEL_NAMES = ['method', 'route', 'status_code'] as const;
export type HttpLabelName = (typeof HTTP_LABEL_NAMES)[number];

/**
 * OpenTelemetry's advised boundaries for `http.server.request.duration` (semantic conventions,
 * HTTP metrics). 0.5 s is one of them, so `histogram_quantile(0.99, …) > 0.5` — the guide's p99 SLO —
 * is exact rather than interpolated across a bucket that straddles the threshold.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
