import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every screening a tenant ran, with the list versions it ran against and the hits as they were
 * then (a snapshot: later list versions never rewrite what an officer saw). `subject_key` names
 * the party (a venue's business or owner, or an ad-hoc name) so decisions on hits can follow it
 * across screenings; verification screenings also carry the verification id.
 */
export class CreateScreenings1797000060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE screenings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        subject_key text NOT NULL,
        verification_id uuid,
        query jsonb NOT NULL,
        result text NOT NULL CHECK (result IN ('CLEAR', 'POTENTIAL_MATCH', 'MATCH')),
        list_versions uuid[] NOT NULL,
        matches jsonb NOT NULL,
        suppressed jsonb NOT NULL DEFAULT '[]',
        screened_by text NOT NULL,
        screened_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX screenings_verification_idx ON screenings (tenant_id, verification_id, screened_at DESC) WHERE verification_id IS NOT NULL');
    await queryRunner.query('GRANT SELECT, INSERT ON screenings TO compliance_app');
    await queryRunner.query('ALTER TABLE screenings ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON screenings
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE screenings');
  }
}
