import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Officers' decisions on screening hits: `confirmed_match` or `false_positive`, with a reason. A
 * false positive is remembered for the subject and the list entry as it was (`content_hash`), and
 * suppresses the same hit on later screenings until the entry changes or `review_at` passes —
 * the "who decided this was not them, when and why" watchman's users miss. Append-only: the
 * latest decision for a subject and entry is the one in force.
 */
export class CreateScreeningDispositions1797000120000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE screening_dispositions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        screening_id uuid NOT NULL REFERENCES screenings (id),
        subject_key text NOT NULL,
        list_name text NOT NULL,
        source_id text NOT NULL,
        content_hash text NOT NULL,
        disposition text NOT NULL CHECK (disposition IN ('confirmed_match', 'false_positive')),
        reason text NOT NULL,
        decided_by text NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        review_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX screening_dispositions_subject_idx ON screening_dispositions (tenant_id, subject_key, decided_at DESC)');
    await queryRunner.query('GRANT SELECT, INSERT ON screening_dispositions TO compliance_app');
    await queryRunner.query('ALTER TABLE screening_dispositions ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON screening_dispositions
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE screening_dispositions');
  }
}
