import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the payment processor last said about each venue's connected account (Stripe
 * `account.updated`, issue 12): the checklist reads it, so a restricted account stops payouts and
 * shows in the venue's verification. One row per venue and processor, replaced only by a report
 * created later (`reported_at`, the event's `created`): Stripe does not deliver events in order.
 * Only what restricts payouts is kept (payouts flag, disabled reason, names of past-due
 * requirements) with the account id an officer looks it up by; never the account's personal data.
 */
export class CreateVenueProcessorAccounts1797500300000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE venue_processor_accounts (
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        processor text NOT NULL CHECK (processor IN ('stripe')),
        account_id text NOT NULL,
        payouts_enabled boolean,
        disabled_reason text,
        past_due text[] NOT NULL DEFAULT '{}',
        event_id text NOT NULL,
        reported_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, venue_id, processor)
      )`);
    // DELETE for an erasure: no law requires keeping what the processor said (privacy subject-data map).
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE, DELETE ON venue_processor_accounts TO compliance_app');
    await queryRunner.query('ALTER TABLE venue_processor_accounts ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON venue_processor_accounts
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE venue_processor_accounts');
  }
}
