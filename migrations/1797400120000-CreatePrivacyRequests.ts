import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data-subject requests (GDPR Art. 15 access, Art. 17 erasure; CCPA §1798.100/105). The subject is
 * a payee venue (sole traders and small organisers are natural persons; the venue's file holds its
 * owners' names and birth dates). `due_at` is received + one month, extendable once by up to two
 * months (Art. 12(3)); a refusal carries its reason (Art. 12(4)). An access request's document is
 * kept in privacy_exports until it is downloaded through a short-lived signed link or the
 * retention job removes it. `reminded_for_due_at` makes the due-soon reminder fire once per due date.
 */
export class CreatePrivacyRequests1797400120000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE privacy_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        subject_id text NOT NULL,
        type text NOT NULL CHECK (type IN ('access', 'erasure')),
        reason text NOT NULL,
        state text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'in_progress', 'completed', 'refused')),
        requested_by text NOT NULL,
        received_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        extended_at timestamptz,
        extension_reason text,
        refusal_reason text,
        handled_by text,
        completed_at timestamptz,
        outcome jsonb,
        reminded_for_due_at timestamptz,
        CHECK ((state = 'refused') = (refusal_reason IS NOT NULL)),
        CHECK ((extended_at IS NULL) = (extension_reason IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX privacy_requests_due_idx ON privacy_requests (tenant_id, state, due_at, id)');
    await queryRunner.query('CREATE INDEX privacy_requests_subject_idx ON privacy_requests (tenant_id, subject_id)');
    await queryRunner.query(`
      CREATE TABLE privacy_exports (
        request_id uuid PRIMARY KEY REFERENCES privacy_requests (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        subject_id text NOT NULL,
        document jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON privacy_requests TO compliance_app');
    await queryRunner.query('GRANT SELECT, INSERT, DELETE ON privacy_exports TO compliance_app');
    for (const table of ['privacy_requests', 'privacy_exports']) {
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE privacy_exports');
    await queryRunner.query('DROP TABLE privacy_requests');
  }
}
