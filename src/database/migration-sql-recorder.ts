import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Captures the SQL a migration would run without a database, for `migrate:dry` and squawk.
 * Our convention is raw SQL through `queryRunner.query`; any other QueryRunner API is refused
 * here, so every statement stays reviewable and lintable.
 */
export async function recordMigrationSql(migration: MigrationInterface, direction: 'up' | 'down'): Promise<string[]> {
  const statements: string[] = [];
  const recorder = new Proxy({} as QueryRunner, {
    get(_target, property) {
      if (property === 'query') {
        return async (sql: string) => {
          statements.push(sql.trim());
          return [];
        };
      }
      if (property === 'then') return undefined;
      throw new Error(`Migration ${migration.name ?? migration.constructor.name} uses queryRunner.${String(property)}; migrations must use raw SQL through queryRunner.query`);
    },
  });
  await migration[direction](recorder);
  return statements;
}
