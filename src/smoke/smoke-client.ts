import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface SmokeResponse {
  status: number;
  body: string;
  latencyMs: number;
}

export interface SmokeRequest {
  method?: 'GET' | 'POST';
  /** Sent as JSON. */
  body?: unknown;
  /** Probes and /metrics are called without the token, the way kubelet and Prometheus call them. */
  authenticated?: boolean;
}

/** Thrown when a call gets no answer: the check fails with this message rather than a stack. */
export class SmokeCallError extends Error {}

/**
 * The smoke suite's HTTP calls: one base URL, the smoke tenant's token, a deadline per call, and
 * the latency of every call made (a check is as slow as its slowest call).
 */
export class SmokeClient {
  private readonly latencies: number[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  /** A client for one check: same target and token, its own latencies. */
  forCheck(): SmokeClient {
    return new SmokeClient(this.baseUrl, this.token, this.timeoutMs);
  }

  get slowestMs(): number | undefined {
    return this.latencies.length === 0 ? undefined : Math.max(...this.latencies);
  }

  async call(path: string, { method = 'GET', body, authenticated = true }: SmokeRequest = {}): Promise<SmokeResponse> {
    // A request id of our own, so a failed call's logs are found by the id the table shows.
    const headers: Record<string, string> = { 'x-request-id': `smoke-${randomUUID()}` };
    if (authenticated) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const startedAt = performance.now();
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      const latencyMs = performance.now() - startedAt;
      this.latencies.push(latencyMs);
      return { status: response.status, body: text, latencyMs };
    } catch (error) {
      this.latencies.push(performance.now() - startedAt);
      // fetch's errors may come from another realm (undici's DOMException): read them by shape, not instanceof.
      const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
      if (name === 'TimeoutError') throw new SmokeCallError(`${method} ${path}: no answer within ${this.timeoutMs} ms`);
      throw new SmokeCallError(`${method} ${path}: ${String(cause?.message ?? message ?? error)}`);
    }
  }
}
