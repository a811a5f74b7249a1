import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { databaseMetricProviders } from './database.metrics';
import { DatabaseQueryMetricsSubscriber } from './database-query-metrics.subscriber';
import { HttpMetricsRecorder } from './http-metrics.recorder';
import { httpMetricProviders } from './http.metrics';
import { MetricsController } from './metrics.controller';
import { redisMetricProviders } from './redis.metrics';
import { RedisConnectionMetricsListener } from './redis-connection-metrics.listener';

/** A metric prom-client's default collection always registers; present means already collected. */
const DEFAULT_METRIC_SENTINEL = 'process_cpu_user_seconds_total';

/**
 * The one place metrics are set up: prom-client's default Node.js/process metrics, `GET /metrics`,
 * and the HTTP, database and Redis metrics. Other modules declare their own metrics with
 * `makeCounterProvider`/`makeGaugeProvider`/`makeHistogramProvider` in their providers and inject
 * them with `@InjectMetric(name)` (see health/health.metrics.ts); all land in prom-client's global
 * registry, which this endpoint serves.
 */
@Global()
@Module({
  imports: [
    PrometheusModule.registerAsync({
      controller: MetricsController,
      // prom-client throws when default metrics are collected twice into one registry, which
      // happens when a process runs two apps at once (tests).
      useFactory: () => ({ defaultMetrics: { enabled: register.getSingleMetric(DEFAULT_METRIC_SENTINEL) === undefined } }),
    }),
  ],
  providers: [
    ...httpMetricProviders,
    HttpMetricsRecorder,
    ...databaseMetricProviders,
    DatabaseQueryMetricsSubscriber,
    ...redisMetricProviders,
    RedisConnectionMetricsListener,
  ],
  exports: [PrometheusModule, HttpMetricsRecorder],
})
export class MetricsModule implements OnApplicationShutdown {
  /**
   * Metrics live in a process-wide registry but their collect callbacks hold this app's pool and
   * Redis client. Clearing it when the app closes lets the next app in the same process (tests)
   * register fresh metrics bound to its own connections.
   */
  onApplicationShutdown(): void {
    register.clear();
  }
}
