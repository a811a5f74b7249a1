import { Global, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
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
 * Gauges named like counters (promtool: "non-counter metrics should not have _total suffix"),
 * each the sum of a labelled gauge still exported (`sum without (type) (nodejs_active_handles)`);
 * upstream agrees they should go (prometheus/client_js#283).
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

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
export class MetricsModule implements OnModuleInit, OnApplicationShutdown {
  onModuleInit(): void {
    for (const name of MISNAMED_DEFAULT_METRICS) register.removeSingleMetric(name);
  }

  /**
   * Metrics live in a process-wide registry but their collect callbacks hold this app's pool and
   * Redis client. Clearing it when the app closes lets the next app in the same process (tests)
   * register fresh metrics bound to its own connections.
   */
  onApplicationShutdown(): void {
    register.clear();
  }
}
