import { defineJob } from '../../../jobs/job-definition';

/** Enqueued by the transaction that records a domain event (the outbox): one job per event. */
export const EVENT_FANOUT_JOB = defineJob<{ eventId: string }>({
  name: 'event-fanout',
  description: 'Creates one delivery per subscription that wants a new domain event, and starts those subscriptions',
  retry: { retryLimit: 10, retryDelaySeconds: 5, backoff: true },
  concurrency: 2,
  // One INSERT: a run still active after a minute died with its instance; retry it then, not after
  // the default 15 minutes (later events of the resource fan this one out meanwhile).
  expireInSeconds: 60,
});

/**
 * Drains one subscription; failed attempts are retried by the delivery's own schedule, not by
 * pg-boss. Every event queues one per subscription that wants it, and only one at a time delivers
 * (one round per subscription, across instances); the others end at once.
 */
export const EVENT_DELIVERY_JOB = defineJob<{ subscriptionId: string }>({
  name: 'event-delivery',
  description: 'Delivers the due events of one subscription, in order per resource, and schedules its next retry',
  retry: { retryLimit: 3, retryDelaySeconds: 5, backoff: true },
  // A slow subscriber holds one of these in all instances together; the others keep delivering.
  concurrency: 8,
  expireInSeconds: 15 * 60,
});

/** Every minute: a delivery left by a crash mid-delivery, or whose job was lost, is started again. */
export const EVENT_DELIVERY_SWEEP_JOB = defineJob({
  name: 'event-delivery-sweep',
  description: 'Starts every subscription with a due delivery and no running job, and updates the outbox lag',
  schedule: { cron: '* * * * *', period: 'hourly' },
  retry: { retryLimit: 0, retryDelaySeconds: 0, backoff: false },
  policy: 'singleton',
});
