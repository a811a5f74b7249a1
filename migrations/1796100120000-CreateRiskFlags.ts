import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk flags officers and services raise on a venue (chargebacks, adverse media, …). Open flags are
 * a factor of the venue's risk score; resolving one keeps the row with who resolved it and why.
 * Lists are newest first by `seq`; the partial index serves the scorer's "open flags of a venue".
 */
export class CreateRiskFlags1796100120000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE risk_flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        category text NOT NULL,
        description text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
        raised_by text NOT NULL,
        raised_at timestamptz NOT NULL,
        resolved_by text,
        resolved_at timestamptz,
        resolution_note text,
        CHECK ((status = 'open') = (resolved_at IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX risk_flags_list_idx ON risk_flags (tenant_id, seq DESC)');
    await queryRunner.query('CREATE INDEX risk_flags_venue_open_idx ON risk_flags (tenant_id, venue_id) WHERE status = \'open\'');
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON risk_flags TO compliance_app');
    await queryRunner.query('ALTER TABLE risk_flags ENABLE ROW LEVEL SECURITY');
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON risk_flags
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE risk_flags');
  }
}
