import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['tenant_settings', 'venue_verifications', 'beneficial_owners', 'verification_decisions'];

/**
 * Venue verification (KYB): one row per submission, its beneficial owners and the officers'
 * decisions. The payout-eligibility hot path reads only venue_verifications through
 * venue_verifications_latest_idx, so the answer (payout_disabled_reason, requirements_due) is
 * stored on the row by the same transaction that changes it. The EIN is stored encrypted
 * (AES-256-GCM, key id per row) with a keyed hash for equality search and its last four digits.
 * A partial unique index allows one open verification per venue.
 */
export class CreateVenueVerifications1796000180000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_settings (
        tenant_id uuid PRIMARY KEY,
        four_eyes_enabled boolean NOT NULL DEFAULT true,
        four_eyes_min_annual_volume_cents bigint,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE venue_verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'in_review', 'verified', 'rejected', 'action_required', 'expired')),
        legal_name text NOT NULL,
        ein_ciphertext bytea NOT NULL,
        ein_key_id text NOT NULL,
        ein_hash bytea NOT NULL,
        ein_last4 text NOT NULL,
        business_address jsonb NOT NULL,
        contact_email text NOT NULL,
        expected_annual_volume_cents bigint NOT NULL DEFAULT 0 CHECK (expected_annual_volume_cents >= 0),
        four_eyes_required boolean NOT NULL,
        sanctions_status text NOT NULL DEFAULT 'not_run',
        risk_status text NOT NULL DEFAULT 'not_run',
        payout_disabled_reason text,
        requirements_due text[] NOT NULL DEFAULT '{}',
        -- squawk-ignore prefer-bigint-over-int
        review_round integer NOT NULL DEFAULT 1,
        submitted_by text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        review_deadline timestamptz NOT NULL,
        decided_at timestamptz,
        verified_at timestamptz,
        expires_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX venue_verifications_one_open_per_venue
        ON venue_verifications (tenant_id, venue_id) WHERE state IN ('pending', 'in_review', 'action_required')`);
    await queryRunner.query('CREATE INDEX venue_verifications_latest_idx ON venue_verifications (tenant_id, venue_id, submitted_at DESC)');
    await queryRunner.query('CREATE INDEX venue_verifications_queue_idx ON venue_verifications (tenant_id, state, submitted_at, id)');
    await queryRunner.query('CREATE INDEX venue_verifications_ein_hash_idx ON venue_verifications (tenant_id, ein_hash)');
    await queryRunner.query('CREATE INDEX venue_verifications_expiry_idx ON venue_verifications (expires_at) WHERE state = \'verified\'');
    await queryRunner.query(`
      CREATE TABLE beneficial_owners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        verification_id uuid NOT NULL REFERENCES venue_verifications (id) ON DELETE CASCADE,
        full_name text NOT NULL,
        date_of_birth date NOT NULL,
        ownership_percent numeric(5, 2) NOT NULL CHECK (ownership_percent > 0 AND ownership_percent <= 100)
      )`);
    await queryRunner.query('CREATE INDEX beneficial_owners_verification_idx ON beneficial_owners (verification_id)');
    await queryRunner.query(`
      CREATE TABLE verification_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        verification_id uuid NOT NULL REFERENCES venue_verifications (id) ON DELETE CASCADE,
        -- squawk-ignore prefer-bigint-over-int
        review_round integer NOT NULL,
        officer_id text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'reject', 'request_changes')),
        reason text,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Four-eyes in the schema too: one approval per officer per review round.
    await queryRunner.query(`
      CREATE UNIQUE INDEX verification_decisions_one_approval_per_officer
        ON verification_decisions (verification_id, review_round, officer_id) WHERE decision = 'approve'`);
    // A resubmission replaces the owner list; nothing else is ever deleted by the application.
    await queryRunner.query('GRANT DELETE ON beneficial_owners TO compliance_app');
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO compliance_app`);
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE verification_decisions');
    await queryRunner.query('DROP TABLE beneficial_owners');
    await queryRunner.query('DROP TABLE venue_verifications');
    await queryRunner.query('DROP TABLE tenant_settings');
  }
}
