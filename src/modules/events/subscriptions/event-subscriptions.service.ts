import { Injectable, Logger } from '@nestjs/common';
import { FieldCipher } from '../../../crypto/field-cipher';
import { JobsService } from '../../../jobs/jobs.service';
import { EVENT_DELIVERY_JOB } from '../delivery/event-job-definitions';
import type { CreateEventSubscription, EventDeliveryView, EventSubscriptionView } from '../dto/event-subscription.dto';
import { EventDeliveryNotFoundError, EventSubscriptionNotFoundError } from './event-subscription.errors';
import { type DeliveryRow, EventSubscriptionsRepository, type EventSubscriptionRow } from './event-subscriptions.repository';

/** The admin API of events out: subscriptions, their delivery log, replay. */
@Injectable()
export class EventSubscriptionsService {
  private readonly logger = new Logger('EventSubscriptions');

  constructor(
    private readonly subscriptions: EventSubscriptionsRepository,
    private readonly cipher: FieldCipher,
    private readonly jobs: JobsService,
  ) {}

  async create(input: CreateEventSubscription, actor: string): Promise<EventSubscriptionView> {
    const row = await this.subscriptions.insert({ url: input.url, eventTypes: input.eventTypes, tenantId: input.tenantId, secret: this.cipher.seal(input.secret), createdBy: actor });
    // The URL's host only: a path or query may carry a token of the subscriber's.
    this.logger.log({ subscriptionId: row.id, eventTypes: input.eventTypes, actor }, `Event subscription ${row.id} created for ${new URL(input.url).host}`);
    return toView(row);
  }

  async list(): Promise<EventSubscriptionView[]> {
    return (await this.subscriptions.list()).map(toView);
  }

  async deactivate(id: string, actor: string): Promise<void> {
    if (!(await this.subscriptions.deactivate(id))) throw new EventSubscriptionNotFoundError(`No event subscription ${id}`);
    this.logger.log({ subscriptionId: id, actor }, `Event subscription ${id} deactivated`);
  }

  async deliveries(id: string, status: string | undefined): Promise<EventDeliveryView[]> {
    if ((await this.subscriptions.find(id)) === undefined) throw new EventSubscriptionNotFoundError(`No event subscription ${id}`);
    return (await this.subscriptions.deliveries(id, status)).map(toDeliveryView);
  }

  /** Sends a delivery again (typically a dead-lettered one), after what is pending before it for its resource. */
  async replay(deliveryId: string, actor: string): Promise<void> {
    const subscriptionId = await this.subscriptions.requeue(deliveryId);
    if (subscriptionId === undefined) throw new EventDeliveryNotFoundError(`No event delivery ${deliveryId}`);
    await this.jobs.enqueue(EVENT_DELIVERY_JOB, { subscriptionId });
    this.logger.log({ subscriptionId, deliveryId, actor }, `Event delivery ${deliveryId} replayed`);
  }
}

function toView(row: EventSubscriptionRow): EventSubscriptionView {
  return { id: row.id, url: row.url, eventTypes: row.event_types, tenantId: row.tenant_id, active: row.active, createdBy: row.created_by, createdAt: row.created_at.toISOString() };
}

function toDeliveryView(row: DeliveryRow): EventDeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    resourceKey: row.resource_key,
    status: row.status,
    attempts: row.attempts.map((attempt) => ({ attempt: attempt.attempt, attemptedAt: new Date(attempt.attempted_at).toISOString(), statusCode: attempt.status_code, error: attempt.error, durationMs: attempt.duration_ms })),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    lastError: row.last_error,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}
