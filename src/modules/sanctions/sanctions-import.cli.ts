import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createCliLogger } from '../../common/cli-logger';
import { loadConfig } from '../../config/config.loader';
import { buildDataSourceOptions } from '../../database/data-source.options';
import { withDatabaseUrl } from '../../database/database-session';
import type { SanctionsSource } from './lists/sanctions-list-entry.model';
import { SanctionsListFormatError } from './lists/sanctions-list-format.error';
import { SanctionsListImporter } from './lists/sanctions-list.importer';

const USAGE = 'usage: npm run sanctions:import -- --dir <ofac folder>  |  -- --source opensanctions --file <targets.simple.csv>';

/**
 * `npm run sanctions:import`: loads a list into PostgreSQL and activates it, queueing the
 * re-screen of every tenant in the same transaction (this process has no job engine; any running
 * or later instance runs the job); running instances pick the list up within
 * SANCTIONS_LIST_POLL_INTERVAL_MS. Progress is logged as JSON on stderr, the outcome printed on
 * stdout. Exit 1 on a malformed file, with the active list unchanged.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { source: { type: 'string', default: 'ofac' }, dir: { type: 'string' }, file: { type: 'string' } } });
  const source: SanctionsSource | undefined = values.source === 'ofac' || values.source === 'ofac_sdn' ? 'ofac_sdn' : values.source === 'opensanctions' ? 'opensanctions' : undefined;
  const path = source === 'ofac_sdn' ? values.dir : values.file;
  if (source === undefined || path === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env, { requireSecrets: false });
  const logger = createCliLogger('sanctions-import');
  const sink = { log: (message: string) => logger.info(message), warn: (message: string) => logger.warn(message) };
  return withDatabaseUrl(config.database, sink, async (url) => {
    const dataSource = new DataSource(buildDataSourceOptions(config.database, url, { role: 'app', log: sink }));
    await dataSource.initialize();
    try {
      const outcome = await new SanctionsListImporter(dataSource, sink).import({ source, path: resolve(path), loadedBy: `cli:${userInfo().username}` });
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof SanctionsListFormatError)) throw error;
      logger.error({ file: error.file, line: error.line }, `sanctions import refused: ${error.message}; the active list is unchanged`);
      process.stderr.write(`sanctions import refused: ${error.message} (the active list is unchanged)\n`);
      return 1;
    } finally {
      await dataSource.destroy();
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sanctions import failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
