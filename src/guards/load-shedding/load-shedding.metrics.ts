import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const LOAD_SHED_REQUESTS = 'load_shed_requests_total';
export const LOAD_SHEDDING_ACTIVE = 'load_shedding_active';

export const loadSheddingMetricProviders = [
  makeCounterProvider({
    name: LOAD_SHED_REQUESTS,
    help: 'Requests refused with 503 before any work, by route template and reason (event_loop_busy, in_flight, heap, rss)',
    labelNames: ['route', 'reason'],
  }),
  makeGaugeProvider({
    name: LOAD_SHEDDING_ACTIVE,
    help: '1 while this instance is shedding load (a request was refused in the last 250 ms), else 0',
  }),
];
