import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes audit_log tamper-evident and tenant-private:
 * - each row stores its per-tenant sequence number, the previous row's hash and its own hash over
 *   its content (src/modules/audit/audit-chain.ts); audit_chain_heads holds each tenant's latest
 *   link, and its row lock serialises a tenant's writers (other tenants never wait);
 * - the application role may only read and append (grants), and a trigger refuses UPDATE, DELETE
 *   and TRUNCATE for everyone, owners included, so edits need a deliberate trigger bypass that
 *   `audit:verify` then detects;
 * - row-level security shows a tenant only its own entries.
 * Rows written before this migration have no hash; verification starts at the first chained row.
 */
export class ChainAuditLog1796000060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE audit_log
        ADD COLUMN actor_roles text[],
        ADD COLUMN before_state jsonb,
        ADD COLUMN after_state jsonb,
        ADD COLUMN seq bigint,
        ADD COLUMN prev_hash bytea,
        ADD COLUMN hash bytea`);
    await queryRunner.query(`
      CREATE TABLE audit_chain_heads (
        tenant_id text PRIMARY KEY,
        seq bigint NOT NULL,
        hash bytea NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    await queryRunner.query('GRANT SELECT, INSERT ON audit_log TO compliance_app');
    await queryRunner.query('GRANT USAGE ON SEQUENCE audit_log_id_seq TO compliance_app');
    await queryRunner.query('GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO compliance_app');
    await queryRunner.query('ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY');
    await queryRunner.query('ALTER TABLE audit_chain_heads ENABLE ROW LEVEL SECURITY');
    for (const table of ['audit_log', 'audit_chain_heads']) {
      await queryRunner.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = current_setting('app.tenant_id', true))
          WITH CHECK (tenant_id = current_setting('app.tenant_id', true))`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_chain_heads', 'audit_log']) {
      await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON ${table}`);
    }
    await queryRunner.query('ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY');
    await queryRunner.query('REVOKE ALL ON audit_log FROM compliance_app');
    await queryRunner.query('REVOKE ALL ON SEQUENCE audit_log_id_seq FROM compliance_app');
    await queryRunner.query('DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log');
    await queryRunner.query('DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log');
    await queryRunner.query('DROP FUNCTION IF EXISTS audit_log_refuse_change()');
    await queryRunner.query('DROP TABLE audit_chain_heads');
    // Undoing this migration removes the chain: a rollback past it gives up tamper evidence.
    await queryRunner.query(`
      -- squawk-ignore ban-drop-column
      ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN seq, DROP COLUMN after_state, DROP COLUMN before_state, DROP COLUMN actor_roles`);
  }
}
