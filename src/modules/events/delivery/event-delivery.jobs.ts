import { Injectable } from '@nestjs/common';
import { JobRegistry } from '../../../jobs/job.registry';
import { EventDeliveryService } from './event-delivery.service';
import { EVENT_DELIVERY_JOB, EVENT_DELIVERY_SWEEP_JOB, EVENT_FANOUT_JOB } from './event-job-definitions';

/** The handlers of the outbox's three jobs (event-job-definitions.ts). */
@Injectable()
export class EventDeliveryJobs {
  constructor(registry: JobRegistry, delivery: EventDeliveryService) {
    registry.register(EVENT_FANOUT_JOB, async ({ eventId }, context) => {
      await context.progress({ subscriptions: await delivery.fanOut(eventId) });
    });
    registry.register(EVENT_DELIVERY_JOB, async ({ subscriptionId }, context) => {
      await delivery.drain(subscriptionId, (counts) => context.progress(counts));
    });
    registry.register(EVENT_DELIVERY_SWEEP_JOB, async (_data, context) => {
      await context.progress({ subscriptionsStarted: await delivery.sweep() });
    });
  }
}
