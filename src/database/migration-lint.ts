import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { recordMigrationSql } from './migration-sql-recorder';

/**
 * A `down` exists to undo its `up`: dropping what the up created is its purpose, and the runner
 * refuses a down that would drop a table holding rows unless --allow-data-loss is given
 * (destructive-down-guard.ts). Every other rule applies to downs as to ups.
 */
const RULES_EXCLUDED_FOR_DOWN = ['ban-drop-table'];

export interface LintResult {
  /** squawk's exit code: 0 clean, 1 findings. */
  exitCode: number;
  /** squawk's report (gcc format: `file:line:column: warning: rule-id message`). */
  report: string;
}

/**
 * Runs squawk over the `up` and the `down` SQL of every migration. Each file starts with the
 * session settings the migration runner applies (lock_timeout, statement_timeout), so squawk
 * judges what really runs. Transactional migrations are linted with --assume-in-transaction, as
 * the runner wraps them (both directions).
 */
export async function lintMigrations(migrations: MigrationInterface[], settings: DatabaseConfig['migrations']): Promise<LintResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'migration-lint-'));
  try {
    const groups = new Map<string, { args: string[]; paths: string[] }>();
    for (const migration of migrations) {
      for (const direction of ['up', 'down'] as const) {
        const transactional = migration.transaction !== false;
        const key = `${direction}-${transactional}`;
        const group = groups.get(key) ?? { args: squawkArgs(direction, transactional), paths: [] };
        groups.set(key, group);
        group.paths.push(await writeSqlFile(workDir, migration, direction, settings));
      }
    }
    let exitCode = 0;
    let report = '';
    for (const { args, paths } of groups.values()) {
      const result = spawnSync(squawkBinary(), [...args, ...paths], { encoding: 'utf8' });
      if (result.error) throw isMissing(result.error) ? new Error(missingSquawk()) : result.error;
      if (result.status !== 0 && result.status !== 1) {
        throw new Error(`squawk failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
      }
      report += result.stdout + result.stderr;
      exitCode = Math.max(exitCode, result.status);
    }
    return { exitCode, report: report.split(workDir + '/').join('') };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function squawkArgs(direction: 'up' | 'down', transactional: boolean): string[] {
  return [
    ...(transactional ? ['--assume-in-transaction'] : []),
    ...(direction === 'down' ? ['--exclude', RULES_EXCLUDED_FOR_DOWN.join(',')] : []),
    '--reporter',
    'gcc',
  ];
}

async function writeSqlFile(workDir: string, migration: MigrationInterface, direction: 'up' | 'down', settings: DatabaseConfig['migrations']): Promise<string> {
  const name = migration.name ?? migration.constructor.name;
  const statements = await recordMigrationSql(migration, direction);
  const sql = [
    `SET lock_timeout = '${settings.lockTimeout}';`,
    `SET statement_timeout = '${settings.statementTimeout}';`,
    ...statements.map((statement) => `${statement.replace(/;?\s*$/, '')};`),
  ].join('\n');
  const file = join(workDir, `${name}.${direction}.sql`);
  writeFileSync(file, `${sql}\n`);
  return file;
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
