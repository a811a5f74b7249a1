import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const BULKHEAD_ACTIVE = 'bulkhead_active';
export const BULKHEAD_QUEUED = 'bulkhead_queued';
export const BULKHEAD_REJECTED = 'bulkhead_rejected_total';

export const bulkheadMetricProviders = [
  makeGaugeProvider({ name: BULKHEAD_ACTIVE, help: 'Calls running in each bulkhead pool', labelNames: ['pool'] }),
  makeGaugeProvider({ name: BULKHEAD_QUEUED, help: 'Calls waiting for a slot in each bulkhead pool', labelNames: ['pool'] }),
  makeCounterProvider({
    name: BULKHEAD_REJECTED,
    help: 'Calls a bulkhead pool refused, by reason (queue_full, queue_timeout, client_aborted)',
    labelNames: ['pool', 'reason'],
  }),
];
