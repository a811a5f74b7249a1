/**
 * "Service Health": the deployment guide's key metrics, the alerts' signals and the dependencies,
 * built with Grafana's typed SDK like "Compliance operations".
 */
import { DashboardBuilder, DashboardCursorSync, type Dashboard, MappingType, type ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable, labelValuesVariable, namespaceVariable, type Query, type Section, stat, timeseries, withSections } from './panels';

/** The service's own series: job from the PodMonitor, namespace and pod from the scrape. */
const SERVICE = 'job="compliance-service", namespace="$namespace", pod=~"$pod"';
/** kube-state-metrics and cAdvisor series of the service's container. */
const CONTAINER = 'namespace="$namespace", pod=~"$pod", container="compliance-service"';

const rate = (metric: string, extra = '') => `rate(${metric}{${SERVICE}${extra}}[$__rate_interval])`;

const quantiles = (metric: string, by: string, legend: (q: string) => string): Query[] =>
  ['0.5', '0.95', '0.99'].map((q) => ({
    expr: `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (${rate(`${metric}_bucket`)}))`,
    legend: legend(q),
  }));

const HEALTH_MAPPINGS: ValueMapping[] = [
  { type: MappingType.ValueToText, options: { '1': { text: 'healthy', color: 'green' }, '0.5': { text: 'degraded', color: 'orange' }, '0': { text: 'unhealthy', color: 'red' } } },
];

const SECTIONS: Section[] = [
  {
    title: 'Overview',
    panels: [
      stat({ width: 6, title: 'Pods scraped', unit: 'short', description: 'Pods Prometheus reaches (up). 0 fires ComplianceServiceDown.', queries: [{ expr: 'sum(up{job="compliance-service", namespace="$namespace"})', legend: 'pods' }], thresholds: [{ color: 'red', value: null }, { color: 'green', value: 1 }] }),
      stat({ width: 6, title: 'Requests / s', unit: 'reqps', description: 'All requests answered by the selected pods.', queries: [{ expr: `sum(${rate('http_requests_total')})`, legend: 'requests' }] }),
      stat({ width: 6, title: 'Error rate (5xx, 5 m)', unit: 'percentunit', description: "The guide's error_rate: recording rule namespace_job:http_request_errors:ratio_rate5m. Warning above 1 %, critical above 5 %.", queries: [{ expr: 'namespace_job:http_request_errors:ratio_rate5m{job="compliance-service", namespace="$namespace"}', legend: 'error rate' }], thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 0.01 }, { color: 'red', value: 0.05 }] }),
      stat({ width: 6, title: 'p99 latency (5 m)', unit: 's', description: 'Recording rule namespace_job:http_request_duration_seconds:histogram_quantile. SLO: below 500 ms.', queries: [{ expr: 'namespace_job:http_request_duration_seconds:histogram_quantile{job="compliance-service", namespace="$namespace", quantile="0.99"}', legend: 'p99' }], thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.5 }] }),
    ],
  },
  {
    title: 'Traffic (RED)',
    panels: [
      timeseries({ width: 12, title: 'Request rate by route', unit: 'reqps', description: 'Route templates; requests no route matched are "unmatched".', queries: [{ expr: `sum by (route) (${rate('http_requests_total')})`, legend: '{{route}}' }] }),
      timeseries({ width: 12, title: 'Responses by status code', unit: 'reqps', description: '499: the client left before the response.', queries: [{ expr: `sum by (status_code) (${rate('http_requests_total')})`, legend: '{{status_code}}' }] }),
      timeseries({
        width: 12,
        title: 'Error rate (5xx) by pod',
        unit: 'percentunit',
        description: '5xx responses / all responses. Dashed lines: the alert thresholds.',
        queries: [
          { expr: `(sum by (pod) (${rate('http_requests_total', ', status_code=~"5.."')}) or sum by (pod) (${rate('http_requests_total')}) * 0) / sum by (pod) (${rate('http_requests_total')})`, legend: '{{pod}}' },
          { expr: 'namespace_job:http_request_errors:ratio_rate5m{job="compliance-service", namespace="$namespace"}', legend: 'all pods (5 m)' },
        ],
        thresholds: [{ color: 'green', value: null }, { color: 'orange', value: 0.01 }, { color: 'red', value: 0.05 }],
        min: 0,
      }),
      timeseries({ width: 12, title: 'Latency p50 / p95 / p99 by route', unit: 's', description: 'From http_request_duration_seconds; 0.5 s (the SLO) is a bucket boundary.', queries: quantiles('http_request_duration_seconds', 'route', (q) => `p${Number(q) * 100} {{route}}`), thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.5 }] }),
      timeseries({ width: 12, title: 'Requests in flight', unit: 'short', description: 'Received and not yet answered; a scrape counts itself.', queries: [{ expr: `sum by (pod) (http_requests_in_flight{${SERVICE}})`, legend: '{{pod}}' }] }),
    ],
  },
  {
    title: 'Dependencies',
    panels: [
      timeseries({ width: 8, title: 'Database pool utilisation', unit: 'percentunit', description: 'Connections in use / DATABASE_POOL_SIZE. Warning above 90 %.', queries: [{ expr: `max by (pod) (database_connection_pool_in_use{${SERVICE}} / database_connection_pool_max{${SERVICE}})`, legend: '{{pod}}' }], thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.9 }], min: 0, max: 1 }),
      timeseries({
        width: 8,
        title: 'Database pool connections',
        unit: 'short',
        description: 'Open (size), in use, idle, and queries waiting for a connection.',
        queries: ['size', 'in_use', 'idle', 'waiting'].map((state) => ({ expr: `sum by (pod) (database_connection_pool_${state}{${SERVICE}})`, legend: `{{pod}} ${state}` })),
      }),
      timeseries({
        width: 8,
        title: 'Database queries',
        unit: 's',
        description: 'p99 of successful queries (left), queries and failed queries per second (right).',
        queries: [
          { expr: `histogram_quantile(0.99, sum by (le) (${rate('database_query_duration_seconds_bucket')}))`, legend: 'p99' },
          { expr: `sum(${rate('database_query_duration_seconds_count')})`, legend: 'queries / s', unit: 'reqps' },
          { expr: `sum(${rate('database_query_errors_total')})`, legend: 'failed / s', unit: 'reqps' },
        ],
      }),
      timeseries({ width: 8, title: 'Redis connection errors', unit: 'short', description: 'Lost connections and failed reconnects. Any is critical (ComplianceRedisConnectionErrors).', queries: [{ expr: `sum by (pod) (increase(redis_connection_errors_total{${SERVICE}}[$__rate_interval]))`, legend: '{{pod}}' }], thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }] }),
      timeseries({ width: 8, title: 'Redis connected', unit: 'short', description: '1: connected and ready; 0: down or REDIS_URL unset.', queries: [{ expr: `redis_connection_up{${SERVICE}}`, legend: '{{pod}}' }], min: 0, max: 1 }),
      timeseries({ width: 8, title: 'Health status per component', unit: 'short', description: 'Readiness checks: 1 healthy, 0.5 degraded, 0 unhealthy (the pod leaves the Service).', queries: [{ expr: `min by (component) (health_component_status{${SERVICE}})`, legend: '{{component}}' }], mappings: HEALTH_MAPPINGS, min: 0, max: 1 }),
      timeseries({ width: 12, title: 'Health check duration p99 per component', unit: 's', description: 'Time one readiness check of a component takes.', queries: [{ expr: `histogram_quantile(0.99, sum by (le, component) (${rate('health_check_duration_seconds_bucket')}))`, legend: '{{component}}' }] }),
    ],
  },
  {
    title: 'Runtime',
    panels: [
      timeseries({
        width: 8,
        title: 'Memory % of limit',
        unit: 'percentunit',
        description: 'Container working set / memory limit (cAdvisor, kube-state-metrics). Warning above 85 %; readiness degrades at 85 %, fails at 95 %.',
        queries: [{ expr: `max by (pod) (container_memory_working_set_bytes{${CONTAINER}}) / on (pod) max by (pod) (kube_pod_container_resource_limits{${CONTAINER}, resource="memory"})`, legend: '{{pod}}' }],
        thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.85 }],
        min: 0,
        max: 1,
      }),
      timeseries({
        width: 8,
        title: 'Node.js memory',
        unit: 'bytes',
        description: 'Resident set and V8 heap of the process.',
        queries: [
          { expr: `sum by (pod) (process_resident_memory_bytes{${SERVICE}})`, legend: '{{pod}} rss' },
          { expr: `sum by (pod) (nodejs_heap_size_used_bytes{${SERVICE}})`, legend: '{{pod}} heap used' },
        ],
      }),
      timeseries({ width: 8, title: 'CPU', unit: 'short', description: 'CPU seconds per second (cores) used by the process.', queries: [{ expr: `sum by (pod) (${rate('process_cpu_seconds_total')})`, legend: '{{pod}}' }] }),
      timeseries({ width: 8, title: 'Event-loop delay p99', unit: 's', description: 'How late timers fire; readiness degrades above HEALTH_EVENT_LOOP_DELAY_DEGRADED_MS.', queries: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${SERVICE}})`, legend: '{{pod}}' }] }),
      timeseries({
        width: 8,
        title: 'Pod restarts (10 m)',
        unit: 'short',
        description: 'Container restarts in the last 10 minutes (kube-state-metrics). Warning above 3.',
        queries: [
          {
            expr: `kube_pod_container_status_restarts_total{${CONTAINER}} - kube_pod_container_status_restarts_total{${CONTAINER}} offset 10m or kube_pod_container_status_restarts_total{${CONTAINER}} unless kube_pod_container_status_restarts_total{${CONTAINER}} offset 10m`,
            legend: '{{pod}}',
          },
        ],
        thresholds: [{ color: 'green', value: null }, { color: 'red', value: 4 }],
      }),
    ],
  },
  {
    title: 'Protection: load shedding, bulkheads, rate limits',
    panels: [
      timeseries({
        width: 8,
        title: 'Requests shed (503)',
        unit: 'reqps',
        description: 'Refused before any work because the pod is overloaded, by route and reason.',
        queries: [
          { expr: `sum by (route, reason) (${rate('load_shed_requests_total')})`, legend: '{{route}} {{reason}}' },
          { expr: `max by (pod) (load_shedding_active{${SERVICE}})`, legend: '{{pod}} shedding (1 = yes)', unit: 'short' },
        ],
      }),
      timeseries({
        width: 8,
        title: 'Bulkheads',
        unit: 'short',
        description: 'Calls running and queued per pool (left), refusals per second (right).',
        queries: [
          { expr: `sum by (pool) (bulkhead_active{${SERVICE}})`, legend: '{{pool}} active' },
          { expr: `sum by (pool) (bulkhead_queued{${SERVICE}})`, legend: '{{pool}} queued' },
          { expr: `sum by (pool, reason) (${rate('bulkhead_rejected_total')})`, legend: '{{pool}} rejected ({{reason}})', unit: 'reqps' },
        ],
      }),
      timeseries({ width: 8, title: 'Rate-limit rejections (429)', unit: 'reqps', description: 'Requests refused by each throttler.', queries: [{ expr: `sum by (throttler) (${rate('rate_limit_rejections_total')})`, legend: '{{throttler}}' }] }),
    ],
  },
];

const builder = new DashboardBuilder('compliance-service / Service Health')
  .uid('compliance')
  .description("compliance-service: the deployment guide's key metrics, alerts' signals and dependencies. Generated by monitoring/dashboard (npm run monitoring:build).")
  .tags(['compliance-service', 'tickettoken'])
  .timezone('utc')
  .readonly()
  .tooltip(DashboardCursorSync.Crosshair)
  .refresh('30s')
  .time({ from: 'now-3h', to: 'now' })
  .withVariable(datasourceVariable())
  .withVariable(namespaceVariable())
  .withVariable(
    labelValuesVariable('pod', 'Pod', 'label_values(up{job="compliance-service", namespace="$namespace"}, pod)').multi(true).includeAll(true).allValue('.*'),
  );

export const complianceServiceDashboard: Dashboard = withSections(builder, SECTIONS).build();
