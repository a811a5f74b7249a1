import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A delivery claimed for one attempt, with the event it carries. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  event_id: string;
  event_type: string;
  tenant_id: string;
  resource_key: string;
  payload: Record<string, unknown>;
  event_created_at: Date;
}

export interface AttemptRecord {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The pending delivery of the oldest event of each resource of each subscription: the only ones that
 * may be attempted (order per resource). Filtered by subscription outside: a condition on a
 * DISTINCT ON column is pushed into the subquery, onto event_deliveries_pending_idx.
 */
const PENDING_HEADS = `SELECT DISTINCT ON (subscription_id, resource_key) subscription_id, id, event_id, next_attempt_at FROM event_deliveries
  WHERE status = 'pending' ORDER BY subscription_id, resource_key, event_id`;

/**
 * A delivery of `subscription` (an SQL expression) leased and not run out: a round of it is in
 * flight. A round's drain clears its leases as its attempts end; one that outlived its lease
 * (timeout + 5 s) died with its instance.
 */
const roundInFlight = (subscription: string) =>
  `SELECT 1 FROM event_deliveries live WHERE live.subscription_id = ${subscription} AND live.status = 'pending' AND live.lease_until >= now()`;

/**
 * event_deliveries and their attempts (migrations/1797200000000-CreateEventDeliveries.ts). Runs as
 * the login role, outside tenant transactions: delivery is the platform's work across tenants.
 */
@Injectable()
export class EventDeliveryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One pending delivery per active subscription that wants the event, and as many for each earlier
   * event of the same resource that has none yet (its own fan-out job has not run: queued in the
   * same poll, or lost with a killed instance). Fan-outs run concurrently and on every replica, so
   * without this a later event of a venue could reach a subscriber first. Earlier events count from
   * the subscription's creation and within the delivery age limit (older ones would be dead letters).
   * Answers the subscriptions that got a delivery.
   */
  async fanOut(eventId: string, maxAgeSeconds: number): Promise<string[]> {
    const rows: Array<{ subscription_id: string }> = await this.dataSource.query(
      `INSERT INTO event_deliveries (subscription_id, event_id, resource_key)
       SELECT s.id, e.id, COALESCE(e.resource_key, e.type)
       FROM domain_events target
       JOIN domain_events e ON e.tenant_id = target.tenant_id AND e.id <= target.id
         AND (e.id = target.id OR (e.resource_key = target.resource_key AND e.created_at > now() - $2 * interval '1 second'))
       JOIN event_subscriptions s
         ON s.active AND e.type = ANY(s.event_types) AND (s.tenant_id IS NULL OR s.tenant_id = e.tenant_id) AND (e.id = target.id OR e.created_at >= s.created_at)
       WHERE target.id = $1
       ORDER BY e.id
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING subscription_id`,
      [eventId, maxAgeSeconds],
    );
    return [...new Set(rows.map((row) => row.subscription_id))];
  }

  /**
   * Deliveries for recent events that a subscription wants but never got: their fan-out job was
   * running on an instance that was killed, and pg-boss would retry it only when it expires. Events
   * of the last few seconds are left to their own fan-out job.
   */
  async fanOutMissed(maxAgeSeconds: number): Promise<number> {
    const rows: Array<{ created: string }> = await this.dataSource.query(
      `WITH created AS (
         INSERT INTO event_deliveries (subscription_id, event_id, resource_key)
         SELECT s.id, e.id, COALESCE(e.resource_key, e.type)
         FROM domain_events e JOIN event_subscriptions s
           ON s.active AND e.type = ANY(s.event_types) AND (s.tenant_id IS NULL OR s.tenant_id = e.tenant_id) AND e.created_at >= s.created_at
         WHERE e.created_at > now() - $1 * interval '1 second' AND e.created_at < now() - interval '5 seconds'
           AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.subscription_id = s.id AND d.event_id = e.id)
         ORDER BY e.id
         ON CONFLICT (subscription_id, event_id) DO NOTHING
         RETURNING 1)
       SELECT count(*) AS created FROM created`,
      [maxAgeSeconds],
    );
    return Number(rows[0]?.created ?? 0);
  }

  /**
   * Starts a round of the subscription: leases the pending delivery of the oldest event of each
   * resource that is due, up to `limit` (oldest events first), unless a round of the subscription is
   * already in flight. A newer event of a resource never goes before an older one (event order, not
   * delivery order: deliveries are created in the order fan-outs commit).
   *
   * One round at a time per subscription, across instances, is what keeps a slow subscriber to one
   * delivery worker: every event queues a drain of its subscriptions, and each drain would otherwise
   * lease the heads of the resources no round holds and wait on the same subscriber. The lock on the
   * subscription's row makes the check and the lease one step; the claim, a statement of its own,
   * reads the leases of the round that held the lock before (READ COMMITTED takes a snapshot per
   * statement). FOR NO KEY UPDATE does not block fan-outs: their foreign-key checks take KEY SHARE.
   */
  async claimDueHeads(subscriptionId: string, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.transaction(async (tx): Promise<ClaimedDelivery[]> => {
      await tx.query('SELECT 1 FROM event_subscriptions WHERE id = $1 FOR NO KEY UPDATE', [subscriptionId]);
      // The limit is on the heads, not on the UPDATE's output: a data-modifying CTE runs to
      // completion, and would lease (and count an attempt for) every due head it was not asked for.
      return tx.query(
        `WITH due AS (
           SELECT id FROM (${PENDING_HEADS}) heads
           WHERE subscription_id = $1 AND next_attempt_at <= now() AND NOT EXISTS (${roundInFlight('$1')})
           ORDER BY event_id LIMIT $3
         ), claimed AS (
           UPDATE event_deliveries d SET lease_until = now() + $2 * interval '1 millisecond', attempts = d.attempts + 1
           FROM due WHERE d.id = due.id
           RETURNING d.id, d.attempts, d.event_id, d.resource_key
         )
         SELECT c.id, c.attempts, c.event_id, c.resource_key, e.type AS event_type, e.tenant_id, e.payload, e.created_at AS event_created_at
         FROM claimed c JOIN domain_events e ON e.id = c.event_id ORDER BY c.id`,
        [subscriptionId, leaseMs, limit],
      );
    });
  }

  async delivered(deliveryId: string, attempt: AttemptRecord): Promise<void> {
    await this.finish(deliveryId, attempt, "UPDATE event_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL, lease_until = NULL WHERE id = $1", []);
  }

  /** A failed attempt: retried at `nextAttemptAt`, or dead-lettered when that is null. */
  async failed(deliveryId: string, attempt: AttemptRecord, nextAttemptAt: Date | null): Promise<void> {
    if (nextAttemptAt === null) {
      await this.finish(deliveryId, attempt, "UPDATE event_deliveries SET status = 'dead', last_error = $2, lease_until = NULL WHERE id = $1", [attempt.error]);
    } else {
      await this.finish(deliveryId, attempt, 'UPDATE event_deliveries SET next_attempt_at = $3, last_error = $2, lease_until = NULL WHERE id = $1', [attempt.error, nextAttemptAt]);
    }
  }

  /**
   * When the subscription's next round can start, for the drain that has just ended one (or found
   * nothing due): the earliest time a head is due; null when nothing is pending, or when a round is
   * in flight, whose drain schedules the next one (after a crash, the sweep does once its lease has
   * run out). If every drain that found a round in flight scheduled one more, each event sent to a
   * slow subscriber would add a drain coming back at every lease expiry for as long as it is slow.
   *
   * Deliveries waiting behind a head do not count: their next_attempt_at is long past, and counting
   * them would re-run the drain at every poll for as long as the head keeps failing (up to
   * EVENT_DELIVERY_MAX_AGE_SECONDS). They become heads in the round that delivers or dead-letters
   * theirs, whose drain then goes on or reschedules.
   */
  async nextAttemptAt(subscriptionId: string): Promise<Date | null> {
    const [row]: Array<{ next: Date | null }> = await this.dataSource.query(
      `SELECT min(next_attempt_at) AS next FROM (${PENDING_HEADS}) heads WHERE subscription_id = $1 AND NOT EXISTS (${roundInFlight('$1')})`,
      [subscriptionId],
    );
    return row?.next ?? null;
  }

  /**
   * Subscriptions with a head due now and no round in flight: the sweep's work after a crash or a
   * lost job. Deliveries waiting behind a head do not count, as in nextAttemptAt: a drain started
   * for them would find nothing to claim, and schedule one more for the head's retry every minute.
   */
  async subscriptionsWithDueDeliveries(): Promise<string[]> {
    const rows: Array<{ subscription_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT subscription_id FROM (${PENDING_HEADS}) heads
       WHERE next_attempt_at <= now() AND NOT EXISTS (${roundInFlight('heads.subscription_id')})`,
    );
    return rows.map((row) => row.subscription_id);
  }

  /** Seconds since the oldest undelivered event was recorded; 0 when none waits. */
  async lagSeconds(): Promise<number> {
    const [row]: Array<{ lag: number | null }> = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM now() - min(e.created_at))::float8 AS lag
       FROM event_deliveries d JOIN domain_events e ON e.id = d.event_id WHERE d.status = 'pending'`,
    );
    return row?.lag ?? 0;
  }

  /**
   * The tenant's events with a delivery still pending (neither delivered nor dead-lettered). The
   * tenant is the event's: deliveries have no tenant of their own, and the application role has
   * no grant on them, so this reads as the login role like the rest of delivery.
   */
  async undeliveredEventsOf(tenantId: string): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(DISTINCT d.event_id)::int AS count
       FROM event_deliveries d JOIN domain_events e ON e.id = d.event_id WHERE d.status = 'pending' AND e.tenant_id = $1`,
      [tenantId],
    );
    return row?.count ?? 0;
  }

  private async finish(deliveryId: string, attempt: AttemptRecord, update: string, updateParams: unknown[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO event_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)',
        [deliveryId, attempt.attempt, attempt.statusCode, attempt.error, attempt.durationMs],
      );
      await tx.query(update, [deliveryId, ...updateParams]);
    });
  }
}
