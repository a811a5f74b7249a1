import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets a tenant transaction enqueue a job (JobsService.enqueue with `tx`): those transactions run
 * as compliance_app (src/database/tenant-transaction.ts), and pg-boss's insert reads the queue's
 * settings and returns the new job's id. Nothing else: workers, cron and maintenance run on
 * pg-boss's own pool as the login role.
 */
export class GrantJobEnqueueToApplicationRole1796200060000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('GRANT USAGE ON SCHEMA pgboss TO compliance_app');
    await queryRunner.query('GRANT SELECT ON pgboss.queue TO compliance_app');
    await queryRunner.query('GRANT INSERT, SELECT (id) ON pgboss.job TO compliance_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('REVOKE INSERT, SELECT (id) ON pgboss.job FROM compliance_app');
    await queryRunner.query('REVOKE SELECT ON pgboss.queue FROM compliance_app');
    await queryRunner.query('REVOKE USAGE ON SCHEMA pgboss FROM compliance_app');
  }
}
