import { makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const HEALTH_COMPONENT_STATUS = 'health_component_status';
export const HEALTH_CHECK_DURATION = 'health_check_duration_seconds';

/** Registered through the metrics module's pattern (@willsoto/nestjs-prometheus providers). */
export const healthMetricProviders = [
  makeGaugeProvider({
    name: HEALTH_COMPONENT_STATUS,
    help: 'Readiness component status: 1 healthy (or not configured), 0.5 degraded, 0 unhealthy',
    labelNames: ['component'],
  }),
  makeHistogramProvider({
    name: HEALTH_CHECK_DURATION,
    help: 'Duration of one readiness check of a component',
    labelNames: ['component'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
];
