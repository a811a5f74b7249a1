import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';

export const EVENT_DELIVERY_ATTEMPTS = 'event_delivery_attempts_total';
export const EVENT_DELIVERIES_DEAD = 'event_deliveries_dead_total';
export const EVENT_OUTBOX_LAG = 'event_outbox_lag_seconds';

export const eventDeliveryMetricProviders = [
  makeCounterProvider({ name: EVENT_DELIVERY_ATTEMPTS, help: 'Attempts to deliver an event to a subscriber, by outcome (delivered, failed)', labelNames: ['outcome'] }),
  makeCounterProvider({ name: EVENT_DELIVERIES_DEAD, help: 'Deliveries dead-lettered after failing for EVENT_DELIVERY_MAX_AGE_SECONDS' }),
  makeGaugeProvider({ name: EVENT_OUTBOX_LAG, help: 'Age of the oldest event not yet delivered to a subscriber (0 when none waits), updated by every delivery run and the sweep' }),
];
