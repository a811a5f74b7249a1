import type { EntityManager } from 'typeorm';

/**
 * Runs one UPDATE or DELETE (`sql`, without a RETURNING clause) and answers how many rows it
 * changed. TypeORM's `query` answers `[rows, count]` for a top-level UPDATE/DELETE but plain rows
 * for a SELECT: wrapping the statement in a CTE gives one shape on every driver path.
 */
export async function changedRowCount(tx: Pick<EntityManager, 'query'>, sql: string, parameters: readonly unknown[]): Promise<number> {
  const rows: Array<{ changed: string }> = await tx.query(`WITH changed AS (${sql} RETURNING 1) SELECT count(*) AS changed FROM changed`, [...parameters]);
  return Number(rows[0]?.changed ?? 0);
}
