import type { Client } from 'pg';
import { JOBS_SCHEMA } from '../../src/jobs/job-queue.options';

export type RowCounts = Record<string, number>;

/**
 * Rows per table: every table of the public schema and pg-boss's job table (schema JOBS_SCHEMA). One statement, so a
 * snapshot is consistent and cheap enough to take around single requests.
 */
export class RowCounter {
  private constructor(
    private readonly client: Client,
    readonly tables: readonly string[],
    private readonly statement: string,
  ) {}

  static async of(client: Client): Promise<RowCounter> {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND (table_schema = 'public' OR (table_schema = $1 AND table_name = 'job'))
       ORDER BY 1`,
      [JOBS_SCHEMA],
    );
    const tables = rows.map((row) => row.name);
    if (!tables.includes(`${JOBS_SCHEMA}.job`)) throw new Error(`pg-boss's ${JOBS_SCHEMA}.job table is missing: are the migrations applied?`);
    return new RowCounter(client, tables, tables.map((table, index) => `SELECT ${index} AS i, count(*)::int AS n FROM ${table}`).join(' UNION ALL '));
  }

  async counts(): Promise<RowCounts> {
    // Named: prepared once, so each snapshot skips parsing and planning the long UNION.
    const { rows } = await this.client.query<{ i: number; n: number }>({ name: 'fuzz-row-counts', text: this.statement });
    return Object.fromEntries(rows.map((row) => [this.tables[row.i] as string, row.n]));
  }
}

/** The tables whose counts differ, `table: before → after`. */
export function changedTables(before: RowCounts, after: RowCounts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table}: ${before[table]} → ${after[table]}`);
}
