import { Module } from '@nestjs/common';
import { DomainEventsRepository } from './domain-events.repository';
import { DomainEventsService } from './domain-events.service';

/** The generic `domain_events` table: modules record facts here in their own transactions. */
@Module({ providers: [DomainEventsRepository, DomainEventsService], exports: [DomainEventsService] })
export class DomainEventsModule {}
