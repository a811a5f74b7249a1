import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuditModule } from '../audit/audit.module';
import { TaxModule } from '../tax/tax.module';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhooksController } from './webhooks.controller';

/** Signed webhooks in: Stripe (payments, connected accounts) and the platform (ticket sales). */
@Module({
  imports: [AuditModule, TaxModule],
  controllers: [WebhooksController],
  providers: [Clock, WebhookInboxRepository, WebhookEventsService],
})
export class WebhooksModule {}
