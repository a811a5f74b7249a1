import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { HTTP_REQUEST_DURATION } from './http-metric-names';
import type { RequestDurationHistogram } from './request-duration.histogram';

/**
 * What the Fastify hooks (http-metrics.hooks.ts) write per request. Every `started` is matched by
 * exactly one `finished`, so `inFlight` cannot drift; the `http_requests_in_flight` gauge reads it
 * at scrape time.
 */
@Injectable()
export class HttpMetricsRecorder {
  private requestsInFlight = 0;

  constructor(@InjectMetric(HTTP_REQUEST_DURATION) private readonly duration: RequestDurationHistogram) {}

  get inFlight(): number {
    return this.requestsInFlight;
  }

  started(): void {
    this.requestsInFlight += 1;
  }

  finished(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestsInFlight -= 1;
    this.duration.observe(method, route, statusCode, seconds);
  }
}
