import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadMigrations } from './migration-files';
import { lintMigrations } from './migration-lint';
import { recordMigrationSql } from './migration-sql-recorder';

const SETTINGS = { lockTimeout: '10s', statementTimeout: '60s', lockWaitTimeoutMs: 1_000, tableName: 'migrations' };

class BlockingIndex1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX audit_log_actor_idx ON audit_log (actor)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX audit_log_actor_idx');
  }
}

/** A down that rebuilds what its up dropped, blocking writes while it does. */
class BlockingIndexInDown1700000000002 implements MigrationInterface {
  transaction = false as const;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS audit_log_actor_idx');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX IF NOT EXISTS audit_log_actor_idx ON audit_log (actor)');
  }
}

class UsesSchemaApi1700000000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_log');
  }
  async down(): Promise<void> {}
}

describe('migration SQL capture and lint', () => {
  it('passes squawk for every migration in the repository, up and down', async () => {
    const migrations = loadMigrations();
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    await expect(lintMigrations(migrations, SETTINGS)).resolves.toEqual({ exitCode: 0, report: expect.any(String) });
  });

  it('fails squawk for an index built without CONCURRENTLY, naming the rule', async () => {
    const { exitCode, report } = await lintMigrations([new BlockingIndex1700000000000()], SETTINGS);
    expect(exitCode).toBe(1);
    expect(report).toMatch(/^BlockingIndex1700000000000\.up\.sql:\d+:\d+: warning: require-concurrent-index-creation /m);
  });

  it('lints the down SQL too', async () => {
    const { exitCode, report } = await lintMigrations([new BlockingIndexInDown1700000000002()], SETTINGS);
    expect(exitCode).toBe(1);
    expect(report).toMatch(/^BlockingIndexInDown1700000000002\.down\.sql:\d+:\d+: warning: require-concurrent-index-creation /m);
    expect(report).not.toContain('.up.sql');
  });

  it('captures the SQL a migration runs, in order', async () => {
    await expect(recordMigrationSql(new BlockingIndex1700000000000(), 'down')).resolves.toEqual(['DROP INDEX audit_log_actor_idx']);
  });

  it('refuses migrations that use the schema API instead of raw SQL', async () => {
    await expect(recordMigrationSql(new UsesSchemaApi1700000000001(), 'up')).rejects.toThrow(/uses queryRunner.dropTable; migrations must use raw SQL/);
  });
});
