import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role tenant transactions switch to (`SET LOCAL ROLE`); see src/database/tenant-transaction.ts. */
export const APPLICATION_ROLE = 'compliance_app';

/**
 * Row-level security binds only roles without BYPASSRLS that do not own the tables: superusers and
 * table owners skip the policies. Request work therefore runs as this NOLOGIN role, which the
 * service's login role must be a member of. Roles are cluster-wide, so several databases on one
 * server (test runs, staging and production sharing an instance) may race to create it: losing
 * that race is fine. The migration user needs CREATEROLE (RDS's master user has it).
 */
export class CreateApplicationRole1796000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APPLICATION_ROLE}') THEN
          BEGIN
            CREATE ROLE ${APPLICATION_ROLE} NOLOGIN NOBYPASSRLS;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
          END;
        END IF;
        IF NOT pg_has_role(current_user, '${APPLICATION_ROLE}', 'MEMBER') THEN
          EXECUTE format('GRANT ${APPLICATION_ROLE} TO %I', current_user);
        END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO ${APPLICATION_ROLE}`);
  }

  /** The role itself stays: other databases on the same server may still use it. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${APPLICATION_ROLE}`);
  }
}
