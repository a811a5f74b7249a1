import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit reads are "this tenant's entries, newest first". Built CONCURRENTLY so writers are never
 * blocked on a populated table, which PostgreSQL only allows outside a transaction.
 */
export class IndexAuditLogByTenantAndTime1795651260000 implements MigrationInterface {
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A concurrent build that failed (lock timeout, cancel) leaves an INVALID index behind, and
    // IF NOT EXISTS would then keep it. The migration is unrecorded in that case, so drop and rebuild.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_occurred_at_idx');
    await queryRunner.query(`
      -- squawk-ignore prefer-robust-stmts
      CREATE INDEX CONCURRENTLY audit_log_tenant_occurred_at_idx ON audit_log (tenant_id, occurred_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_occurred_at_idx');
  }
}
