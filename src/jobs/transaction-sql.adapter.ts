import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';

/**
 * pg-boss's `db` option (its `Db` interface: `executeSql(text, values) → { rows }`) on the
 * connection of a TypeORM transaction, so a job is inserted by the domain transaction and exists
 * only if that transaction commits. The structured result keeps `rows` the same for every command
 * (TypeORM's plain `query` answers UPDATE and DELETE with `[rows, count]`).
 */
export function pgBossDbOf(tx: EntityManager): PgBoss.Db {
  const runner = tx.queryRunner;
  if (runner === undefined || !runner.isTransactionActive) {
    throw new Error('enqueue({ tx }) needs the EntityManager of an open transaction (TenantTransactions.withTenantTransaction or DataSource.transaction)');
  }
  return {
    async executeSql(text: string, values: unknown[]) {
      const result = await runner.query(text, values, true);
      return { rows: result.records as unknown[] };
    },
  };
}
