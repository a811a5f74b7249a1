import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliResult, ROOT, runCompiled } from './cli';
import { scratchDatabase, withAdmin } from './test-database';

export const OFAC_FIXTURE = join(ROOT, 'test', 'fixtures', 'sanctions', 'ofac');
/** The real SDN snapshot, shared beside the repository (../shared/data/ofac). */
export const OFAC_SNAPSHOT = join(ROOT, '..', 'shared', 'data', 'ofac');

/**
 * A migrated database of its own: the list tables are global, so a suite that imports lists must
 * not share the run's database with suites that expect none (health) or screen verifications.
 */
export async function sanctionsDatabase(purpose: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const database = await scratchDatabase(purpose);
  const migrated = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
  if (migrated.code !== 0) throw new Error(`migrating ${purpose}: ${migrated.stderr}`);
  return database;
}

export function importWithCli(databaseUrl: string, args: string[]): Promise<CliResult> {
  return runCompiled('modules/sanctions/sanctions-import.cli.js', args, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' });
}

/** A copy of the fixture under `root/name`, each file passed through `edit` (by file name). */
export function ofacCopy(root: string, name: string, edit: (file: string, text: string) => string = (_file, text) => text): string {
  const dir = join(root, name);
  cpSync(OFAC_FIXTURE, dir, { recursive: true });
  for (const file of ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']) writeFileSync(join(dir, file), edit(file, readFileSync(join(dir, file), 'utf8')));
  return dir;
}

export function scratchFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The fixture with three changes that tell versions apart: entry 2676 (AL ZAWAHIRI) renamed and its
 * aliases dropped, a new entry 999999 (ZORBLAX, Vexinator), and 3754's remarks changed (new content hash).
 */
export function modifiedOfac(file: string, text: string): string {
  if (file === 'sdn.csv') {
    return `${text
      .replace(/\x1a\s*$/, '')
      .replace('2676,"AL ZAWAHIRI, Dr. Ayman"', '2676,"QUETZALCOATL, Xochitl"')
      .replace('a.k.a. \'ABU-\'UMAR\'.', 'a.k.a. \'ABU-\'UMAR\'; Remarks revised.')
      .trimEnd()}\r\n999999,"ZORBLAX, Vexinator","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970."\r\n`;
  }
  if (file === 'alt.csv') return text.split('\n').filter((line) => !line.startsWith('2676,')).join('\n');
  return text;
}

/** Rows of a table as the superuser sees them (outside row-level security). */
export async function countRows(databaseUrl: string, sql: string, values: unknown[] = []): Promise<number> {
  return withAdmin(databaseUrl, async (client) => Number((await client.query<{ count: string }>(sql, values)).rows[0]?.count ?? 0));
}
