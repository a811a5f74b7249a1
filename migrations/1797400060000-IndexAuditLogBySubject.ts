import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A privacy access export lists the audit entries about one subject; most entries name none. */
export class IndexAuditLogBySubject1797400060000 implements MigrationInterface {
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    // As in IndexAuditLogByTenantAndTime: a failed concurrent build leaves an INVALID index.
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_subject_idx');
    await queryRunner.query(`
      -- squawk-ignore prefer-robust-stmts
      CREATE INDEX CONCURRENTLY audit_log_tenant_subject_idx ON audit_log (tenant_id, subject_id, seq) WHERE subject_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_tenant_subject_idx');
  }
}
