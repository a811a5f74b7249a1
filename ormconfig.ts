/**
 * DataSource for the TypeORM CLI (`npm run migration:generate`). The connection is defined once in
 * src/database/data-source.options.ts, which the app and the migration runner use too. Point
 * DATABASE_URL at a database (the embedded one's URL is logged by `npm start`).
 */
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/config.loader';
import { buildDataSourceOptions } from './src/database/data-source.options';

const config = loadConfig(process.env, { requireSecrets: false });
if (config.database.url === undefined) {
  throw new Error('Set DATABASE_URL for the TypeORM CLI (npm start logs the embedded database URL)');
}

export default new DataSource(buildDataSourceOptions(config.database, config.database.url, { role: 'migration' }));
