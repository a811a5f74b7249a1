import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SealedValue } from '../../../crypto/field-cipher';

export interface EventSubscriptionRow {
  id: string;
  url: string;
  event_types: string[];
  tenant_id: string | null;
  secret_ciphertext: Buffer;
  secret_key_id: string;
  active: boolean;
  created_by: string;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  resource_key: string;
  status: 'pending' | 'delivered' | 'dead';
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
  attempts: Array<{ attempt: number; attempted_at: string; status_code: number | null; error: string | null; duration_ms: number }>;
}

/** event_subscriptions, and the delivery log the admin API shows. Platform data: no tenant transaction. */
@Injectable()
export class EventSubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(subscription: { url: string; eventTypes: string[]; tenantId: string | null; secret: SealedValue; createdBy: string }): Promise<EventSubscriptionRow> {
    const [row]: EventSubscriptionRow[] = await this.dataSource.query(
      `INSERT INTO event_subscriptions (url, event_types, tenant_id, secret_ciphertext, secret_key_id, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [subscription.url, subscription.eventTypes, subscription.tenantId, subscription.secret.ciphertext, subscription.secret.keyId, subscription.createdBy],
    );
    return row as EventSubscriptionRow;
  }

  list(): Promise<EventSubscriptionRow[]> {
    return this.dataSource.query('SELECT * FROM event_subscriptions ORDER BY created_at, id');
  }

  async find(id: string): Promise<EventSubscriptionRow | undefined> {
    const [row]: EventSubscriptionRow[] = await this.dataSource.query('SELECT * FROM event_subscriptions WHERE id = $1', [id]);
    return row;
  }

  // UPDATEs run inside a CTE: TypeORM answers a top-level UPDATE with [rows, count], a SELECT with rows.

  /** False when there is no such subscription. */
  async deactivate(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('WITH updated AS (UPDATE event_subscriptions SET active = false WHERE id = $1 RETURNING id) SELECT id FROM updated', [id]);
    return rows.length > 0;
  }

  deliveries(subscriptionId: string, status: string | undefined): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT d.id, d.event_id, e.type AS event_type, d.resource_key, d.status, d.next_attempt_at, d.last_error, d.delivered_at,
         COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt, 'attempted_at', a.attempted_at, 'status_code', a.status_code, 'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.attempt)
                   FROM event_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
       FROM event_deliveries d JOIN domain_events e ON e.id = d.event_id
       WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) ORDER BY d.id LIMIT 1000`,
      [subscriptionId, status ?? null],
    );
  }

  /** Puts a delivery back in line (dead-lettered or delivered); its subscription, or undefined when unknown. */
  async requeue(deliveryId: string): Promise<string | undefined> {
    const [row]: Array<{ subscription_id: string }> = await this.dataSource.query(
      "WITH updated AS (UPDATE event_deliveries SET status = 'pending', next_attempt_at = now(), lease_until = NULL WHERE id = $1 RETURNING subscription_id) SELECT subscription_id FROM updated",
      [deliveryId],
    );
    return row?.subscription_id;
  }
}
