import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events out (issue 12): the outbox is `domain_events` itself (written by the transaction that made
 * the change; the same transaction enqueues its fan-out job), read here by subscriptions and their
 * deliveries. `resource_key` (e.g. `venue:<id>`) is what a subscriber gets in order: a delivery
 * waits while an older one for the same subscription and resource is pending. Subscriptions are
 * platform configuration (admin API), not tenant data: no row-level security; a subscription with
 * `tenant_id` receives that tenant's events only. Secrets are sealed by FieldCipher. The integer
 * columns count attempts, HTTP statuses and milliseconds of one request: far from 2^31.
 */
export class CreateEventDeliveries1797200000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE domain_events ADD COLUMN resource_key text');
    await queryRunner.query(`
      CREATE TABLE event_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://'),
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        tenant_id uuid,
        secret_ciphertext bytea NOT NULL,
        secret_key_id text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE event_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
        event_id bigint NOT NULL REFERENCES domain_events (id),
        resource_key text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        -- squawk-ignore prefer-bigint-over-int
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, event_id)
      )`);
    await queryRunner.query("CREATE INDEX event_deliveries_pending_idx ON event_deliveries (subscription_id, resource_key, id) WHERE status = 'pending'");
    await queryRunner.query(`
      CREATE TABLE event_delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES event_deliveries (id) ON DELETE CASCADE,
        -- squawk-ignore prefer-bigint-over-int
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        -- squawk-ignore prefer-bigint-over-int
        status_code integer,
        error text,
        -- squawk-ignore prefer-bigint-over-int
        duration_ms integer NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX event_delivery_attempts_delivery_idx ON event_delivery_attempts (delivery_id, attempt)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE event_delivery_attempts');
    await queryRunner.query('DROP TABLE event_deliveries');
    await queryRunner.query('DROP TABLE event_subscriptions');
    // Code from before this migration never reads the column: dropping it breaks no client.
    await queryRunner.query(`
      -- squawk-ignore ban-drop-column
      ALTER TABLE domain_events DROP COLUMN resource_key`);
  }
}
