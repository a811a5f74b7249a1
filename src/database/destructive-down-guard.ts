import type { MigrationInterface } from 'typeorm';
import { recordMigrationSql } from './migration-sql-recorder';

/** Counting stops here: enough to tell an operator "this table holds data", cheap on a huge table. */
const ROW_COUNT_CAP = 1_000_000;

export interface TableWithRows {
  table: string;
  rows: number;
  /** The table holds at least `rows` rows (the count stopped at the cap). */
  atLeast: boolean;
}

/** Thrown before anything is reverted when a `down` would drop or empty tables holding rows. */
export class DataLossRefusedError extends Error {
  constructor(readonly losses: Array<{ migration: string; tables: TableWithRows[] }>) {
    const lines = losses.map(({ migration, tables }) =>
      `  - ${migration} drops ${tables.map(({ table, rows, atLeast }) => `${table} (${atLeast ? 'at least ' : ''}${rows.toLocaleString('en')} row${rows === 1 ? '' : 's'})`).join(', ')}`);
    super(
      `Refusing to revert: these downs would destroy data, and nothing has been reverted.\n${lines.join('\n')}\n` +
        'Roll back the application instead (expand/contract keeps it working on the newer schema), or export the rows first ' +
        'and pass --allow-data-loss to revert anyway.',
    );
    this.name = 'DataLossRefusedError';
  }
}

/**
 * A migration whose `up` seeds rows (a generation counter, thresholds from the law, catalogue rows
 * in an earlier migration's table) names those tables and how many rows it seeds: up to that many
 * rows are seed, not data to protect.
 */
export interface SeedingMigration extends MigrationInterface {
  readonly seededRows?: Readonly<Record<string, number>>;
}

/**
 * What the downs would destroy beyond the seed rows of all the migrations being reverted: a later
 * migration's seed in an earlier one's table is removed by its own down, which runs first.
 */
export function beyondSeed(reverted: readonly SeedingMigration[], tables: TableWithRows[]): TableWithRows[] {
  const seeded = (table: string): number => reverted.reduce((sum, migration) => sum + (migration.seededRows?.[table] ?? 0), 0);
  return tables.filter(({ table, rows }) => rows > seeded(table));
}

/** Tables a migration's `down` drops or truncates, read from the SQL it would run (raw SQL only). */
export async function tablesDestroyedByDown(migration: MigrationInterface): Promise<string[]> {
  return tablesDestroyedBy(await recordMigrationSql(migration, 'down'));
}

export function tablesDestroyedBy(statements: string[]): string[] {
  const tables: string[] = [];
  for (const statement of statements) {
    const sql = statement.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
    const pattern = /\b(?:DROP\s+TABLE(?:\s+IF\s+EXISTS)?|TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?)\s+([^;]+)/gi;
    for (const [, list] of sql.matchAll(pattern)) {
      const names = (list as string).replace(/\s+(CASCADE|RESTRICT|RESTART\s+IDENTITY|CONTINUE\s+IDENTITY)\b/gi, ' ');
      tables.push(...names.split(',').map((name) => name.trim()).filter((name) => name !== ''));
    }
  }
  return tables;
}

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

/** Those of `tables` that exist and hold at least one row, with a (capped) count. */
export async function tablesHoldingRows(query: Query, tables: string[]): Promise<TableWithRows[]> {
  const found: TableWithRows[] = [];
  for (const table of new Set(tables)) {
    const [{ name }] = (await query('SELECT to_regclass($1)::text AS name', [table])) as Array<{ name: string | null }>;
    if (name === null) continue;
    // `name` comes back from regclass's output function, which quotes it as an identifier.
    const [{ rows }] = (await query(`SELECT count(*)::int AS rows FROM (SELECT 1 FROM ${name} LIMIT ${ROW_COUNT_CAP}) AS capped`)) as Array<{ rows: number }>;
    if (rows > 0) found.push({ table: name, rows, atLeast: rows === ROW_COUNT_CAP });
  }
  return found;
}
