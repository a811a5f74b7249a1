import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { migrationFilesGlob } from './data-source.options';

/** Loads every migration class from the migrations folder, oldest first, without a database. */
export function loadMigrations(): MigrationInterface[] {
  const pattern = migrationFilesGlob();
  const directory = dirname(pattern);
  const extension = pattern.slice(pattern.lastIndexOf('.'));
  return readdirSync(directory)
    .filter((file) => file.endsWith(extension) && !file.endsWith('.d.ts'))
    .sort()
    .flatMap((file) => Object.values(require(join(directory, file)) as Record<string, unknown>))
    .filter((exported): exported is new () => MigrationInterface => typeof exported === 'function')
    .map((MigrationClass) => new MigrationClass());
}
