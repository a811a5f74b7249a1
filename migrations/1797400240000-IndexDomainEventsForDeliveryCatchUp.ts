import type { MigrationInterface, QueryRunner } from 'typeorm';

const INDEXES = {
  // A fan-out also delivers earlier events of its resource that have none yet (EventDeliveryRepository.fanOut).
  domain_events_resource_idx: 'ON domain_events (tenant_id, resource_key, created_at) WHERE resource_key IS NOT NULL',
  // The sweep fans out the recent events whose fan-out job died with its instance (fanOutMissed).
  domain_events_created_at_idx: 'ON domain_events (created_at)',
};

export class IndexDomainEventsForDeliveryCatchUp1797400240000 implements MigrationInterface {
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of Object.entries(INDEXES)) {
      // As in IndexAuditLogByTenantAndTime: a failed concurrent build leaves an INVALID index.
      await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await queryRunner.query(`
        -- squawk-ignore prefer-robust-stmts
        CREATE INDEX CONCURRENTLY ${name} ${definition}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of Object.keys(INDEXES)) await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }
}
