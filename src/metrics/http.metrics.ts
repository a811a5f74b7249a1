import { getToken, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { type Counter, type Gauge, register } from 'prom-client';
import { HttpMetricsRecorder } from './http-metrics.recorder';
import { HTTP_LABEL_NAMES, HTTP_REQUEST_DURATION, HTTP_REQUESTS_IN_FLIGHT, HTTP_REQUESTS_TOTAL, type HttpLabelName } from './http-metric-names';
import { RequestDurationHistogram } from './request-duration.histogram';

/**
 * The HTTP RED metrics. A request costs one histogram observation and two integer updates; the
 * counter and the gauge are read from those at scrape time. Injectable like any other metric:
 * `@InjectMetric(HTTP_REQUEST_DURATION)` gives the RequestDurationHistogram.
 */
export const httpMetricProviders = [
  {
    provide: getToken(HTTP_REQUEST_DURATION),
    useFactory: (): RequestDurationHistogram => RequestDurationHistogram.registeredIn(register),
  },
  makeCounterProvider({
    name: HTTP_REQUESTS_TOTAL,
    help: 'Requests handled, by route template (status_code 499: the client left before the response)',
    labelNames: HTTP_LABEL_NAMES,
    inject: [getToken(HTTP_REQUEST_DURATION)],
    collect(this: Counter<HttpLabelName>, duration: RequestDurationHistogram) {
      this.reset();
      for (const { labels, count } of duration.counts()) this.inc(labels, count);
    },
  }),
  makeGaugeProvider({
    name: HTTP_REQUESTS_IN_FLIGHT,
    help: 'Requests received and not yet answered (a scrape counts itself)',
    inject: [HttpMetricsRecorder],
    collect(this: Gauge, recorder: HttpMetricsRecorder) {
      this.set(recorder.inFlight);
    },
  }),
];
