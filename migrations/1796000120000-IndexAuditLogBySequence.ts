import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `audit:verify` walks a tenant's chain in sequence order; unique so a link cannot be duplicated. */
export class IndexAuditLogBySequence1796000120000 implements MigrationInterface {
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    // As in IndexAuditLogByTenantAndTime: a failed concurrent build leaves an INVALID index.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_seq_key');
    await queryRunner.query(`
      -- squawk-ignore prefer-robust-stmts
      CREATE UNIQUE INDEX CONCURRENTLY audit_log_tenant_seq_key ON audit_log (tenant_id, seq) WHERE seq IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_seq_key');
  }
}
