import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import type { AppConfig, EventDeliveryConfig } from '../../../config/app-config';
import { FieldCipher } from '../../../crypto/field-cipher';
import { JobsService } from '../../../jobs/jobs.service';
import { platformSignatureHeader } from '../../webhooks/platform-signature';
import { EventSubscriptionsRepository, type EventSubscriptionRow } from '../subscriptions/event-subscriptions.repository';
import { EVENT_DELIVERY_JOB } from './event-job-definitions';
import { EVENT_DELIVERIES_DEAD, EVENT_DELIVERY_ATTEMPTS, EVENT_OUTBOX_LAG } from './event-delivery.metrics';
import { type ClaimedDelivery, EventDeliveryRepository } from './event-delivery.repository';
import { retryDelayMs } from './retry-delay';

/**
 * Deliveries leased per round of one subscription: one per resource, attempted in parallel. A
 * subscription has one round at a time, so this is also the most requests open to its URL.
 */
const HEADS_PER_ROUND = 20;

/**
 * Delivers events to subscribers at least once, signed with the platform scheme (X-Signature, as
 * webhooks in), in order per resource: a resource's next event waits until the previous one is
 * delivered or dead-lettered. A failed attempt is retried with backoff and jitter until the event
 * is EVENT_DELIVERY_MAX_AGE_SECONDS old, then dead-lettered (replayable through the admin API).
 * A subscription is delivered to in rounds, one at a time across all instances (claimDueHeads): a
 * drain that finds a round in flight leaves the subscription to that round's drain, so a slow
 * subscriber holds one delivery worker however many events it is sent, and the others serve the
 * other subscriptions.
 */
@Injectable()
export class EventDeliveryService {
  private readonly logger = new Logger('EventDelivery');
  private readonly settings: EventDeliveryConfig;

  constructor(
    private readonly deliveries: EventDeliveryRepository,
    private readonly subscriptions: EventSubscriptionsRepository,
    private readonly cipher: FieldCipher,
    private readonly jobs: JobsService,
    @InjectMetric(EVENT_DELIVERY_ATTEMPTS) private readonly attempts: Counter<'outcome'>,
    @InjectMetric(EVENT_DELIVERIES_DEAD) private readonly dead: Counter,
    @InjectMetric(EVENT_OUTBOX_LAG) private readonly lag: Gauge,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('eventDelivery', { infer: true });
    attempts.inc({ outcome: 'delivered' }, 0);
    attempts.inc({ outcome: 'failed' }, 0);
  }

  /** Creates the event's deliveries and starts the subscriptions that got one. */
  async fanOut(eventId: string): Promise<number> {
    const subscriptionIds = await this.deliveries.fanOut(eventId, this.settings.maxAgeSeconds);
    for (const subscriptionId of subscriptionIds) await this.jobs.enqueue(EVENT_DELIVERY_JOB, { subscriptionId });
    return subscriptionIds.length;
  }

  /**
   * Delivers everything due for the subscription, round after round, and schedules itself for the
   * next retry; ends at once when another drain has a round of it in flight.
   */
  async drain(subscriptionId: string, progress: (counts: Record<string, number>) => Promise<void>): Promise<void> {
    const subscription = await this.subscriptions.find(subscriptionId);
    if (subscription === undefined || !subscription.active) return;
    const secret = this.cipher.open({ ciphertext: subscription.secret_ciphertext, keyId: subscription.secret_key_id });
    const counts = { delivered: 0, failed: 0 };
    for (;;) {
      const due = await this.deliveries.claimDueHeads(subscriptionId, this.settings.timeoutMs + 5_000, HEADS_PER_ROUND);
      if (due.length === 0) break;
      const outcomes = await Promise.all(due.map((delivery) => this.attempt(subscription, secret, delivery)));
      counts.delivered += outcomes.filter(Boolean).length;
      counts.failed += outcomes.filter((ok) => !ok).length;
      await progress(counts);
      if (outcomes.every((ok) => !ok)) break;
    }
    const next = await this.deliveries.nextAttemptAt(subscriptionId);
    if (next !== null) await this.jobs.enqueue(EVENT_DELIVERY_JOB, { subscriptionId }, { startAfter: next });
    await this.refreshLag();
  }

  /** How many of the tenant's events some subscriber has not received yet (the dashboard). */
  undeliveredEventsOf(tenantId: string): Promise<number> {
    return this.deliveries.undeliveredEventsOf(tenantId);
  }

  /**
   * The sweep: fans out events whose fan-out job died with its instance, then restarts subscriptions
   * whose due deliveries have no job (a crash mid-delivery, a lost job).
   */
  async sweep(): Promise<number> {
    await this.deliveries.fanOutMissed(this.settings.maxAgeSeconds);
    const subscriptionIds = await this.deliveries.subscriptionsWithDueDeliveries();
    for (const subscriptionId of subscriptionIds) await this.jobs.enqueue(EVENT_DELIVERY_JOB, { subscriptionId });
    await this.refreshLag();
    return subscriptionIds.length;
  }

  private async attempt(subscription: EventSubscriptionRow, secret: string, delivery: ClaimedDelivery): Promise<boolean> {
    const body = JSON.stringify({ id: delivery.event_id, type: delivery.event_type, tenantId: delivery.tenant_id, resource: delivery.resource_key, occurredAt: delivery.event_created_at, data: delivery.payload });
    const startedAt = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-event-id': delivery.event_id, 'x-event-type': delivery.event_type, 'x-signature': platformSignatureHeader(body, secret, Math.floor(Date.now() / 1000)) },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        redirect: 'manual',
      });
      statusCode = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : 'request failed';
    }
    const attempt = { attempt: delivery.attempts, statusCode, error, durationMs: Math.round(performance.now() - startedAt) };
    if (error === null) {
      await this.deliveries.delivered(delivery.id, attempt);
      this.attempts.inc({ outcome: 'delivered' });
      return true;
    }
    this.attempts.inc({ outcome: 'failed' });
    const ageMs = Date.now() - new Date(delivery.event_created_at).getTime();
    const delayMs = retryDelayMs(delivery.attempts, this.settings.retryBaseMs, this.settings.retryMaxMs);
    const giveUp = ageMs + delayMs > this.settings.maxAgeSeconds * 1000;
    await this.deliveries.failed(delivery.id, attempt, giveUp ? null : new Date(Date.now() + delayMs));
    if (giveUp) {
      this.dead.inc();
      this.logger.warn({ subscriptionId: subscription.id, deliveryId: delivery.id, eventType: delivery.event_type, attempts: delivery.attempts }, `Delivery ${delivery.id} dead-lettered after ${delivery.attempts} attempts: ${error}`);
    }
    return false;
  }

  private async refreshLag(): Promise<void> {
    this.lag.set(await this.deliveries.lagSeconds());
  }
}
