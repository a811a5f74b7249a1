import { Module } from '@nestjs/common';
import { JobsModule } from '../../jobs/jobs.module';
import { EventDeliveryJobs } from './delivery/event-delivery.jobs';
import { eventDeliveryMetricProviders } from './delivery/event-delivery.metrics';
import { EventDeliveryRepository } from './delivery/event-delivery.repository';
import { EventDeliveryService } from './delivery/event-delivery.service';
import { DomainEventsRepository } from './domain-events.repository';
import { DomainEventsService } from './domain-events.service';
import { EventSubscriptionsController } from './subscriptions/event-subscriptions.controller';
import { EventSubscriptionsRepository } from './subscriptions/event-subscriptions.repository';
import { EventSubscriptionsService } from './subscriptions/event-subscriptions.service';

/**
 * Domain events and events out: modules record facts in their own transactions (DomainEventsService);
 * the outbox jobs deliver them to the subscriptions of the admin API.
 */
@Module({
  imports: [JobsModule],
  controllers: [EventSubscriptionsController],
  providers: [
    DomainEventsRepository,
    DomainEventsService,
    EventDeliveryRepository,
    EventDeliveryService,
    EventDeliveryJobs,
    EventSubscriptionsRepository,
    EventSubscriptionsService,
    ...eventDeliveryMetricProviders,
  ],
  exports: [DomainEventsService, EventDeliveryService],
})
export class DomainEventsModule {}
