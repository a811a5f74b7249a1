import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { recordMigrationSql } from './migration-sql-recorder';

/**
 * Runs squawk over the `up` SQL of every migration. Each file starts with the session settings the
 * migration runner applies (lock_timeout, statement_timeout), so squawk judges what really runs.
 * Transactional migrations are linted with --assume-in-transaction, as TypeORM wraps them.
 * Returns squawk's exit code (0 when clean).
 */
export async function lintMigrations(migrations: MigrationInterface[], settings: DatabaseConfig['migrations']): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'migration-lint-'));
  try {
    const files = { transactional: [] as string[], standalone: [] as string[] };
    for (const migration of migrations) {
      const name = migration.name ?? migration.constructor.name;
      const statements = await recordMigrationSql(migration, 'up');
      const sql = [
        `SET lock_timeout = '${settings.lockTimeout}';`,
        `SET statement_timeout = '${settings.statementTimeout}';`,
        ...statements.map((statement) => `${statement.replace(/;?\s*$/, '')};`),
      ].join('\n');
      const file = join(workDir, `${name}.sql`);
      writeFileSync(file, `${sql}\n`);
      (migration.transaction === false ? files.standalone : files.transactional).push(file);
    }
    let exitCode = 0;
    for (const [group, paths] of Object.entries(files)) {
      if (paths.length === 0) continue;
      const args = [...(group === 'transactional' ? ['--assume-in-transaction'] : []), '--reporter', 'gcc', ...paths];
      const result = spawnSync(squawkBinary(), args, { stdio: 'inherit' });
      if (result.error) throw isMissing(result.error) ? new Error(missingSquawk()) : result.error;
      exitCode = Math.max(exitCode, result.status ?? 1);
    }
    return exitCode;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * The @squawk-cli package of this platform (optional dependencies: npm installs only the one whose
 * os/cpu match), else `squawk` on PATH, for a platform squawk publishes no binary for or an
 * install without optional dependencies.
 */
function squawkBinary(): string {
  const name = `@squawk-cli/${process.platform}-${process.arch}`;
  try {
    return join(require.resolve(`${name}/package.json`), '..', 'bin', process.platform === 'win32' ? 'squawk.exe' : 'squawk');
  } catch {
    return 'squawk';
  }
}

function isMissing(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

function missingSquawk(): string {
  return `squawk has no binary for ${process.platform}-${process.arch} here (@squawk-cli/${process.platform}-${process.arch} is not installed) and none is on PATH: install squawk (https://squawkhq.com) and put it on PATH`;
}
