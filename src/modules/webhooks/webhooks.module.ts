import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TaxModule } from '../tax/tax.module';
import { VenuesModule } from '../venues/venues.module';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhooksController } from './webhooks.controller';

/** Signed webhooks in: Stripe (payments; connected accounts → venues' verifications) and the platform (ticket sales). */
@Module({
  imports: [TaxModule, VenuesModule],
  controllers: [WebhooksController],
  providers: [Clock, WebhookInboxRepository, WebhookEventsService],
})
export class WebhooksModule {}
