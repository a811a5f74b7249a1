import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config.loader';
import { buildOpenApiDocument } from './openapi-document';

const OUTPUT = join(__dirname, '..', '..', 'openapi.json');

/**
 * `npm run openapi` writes openapi.json from the controllers; `npm run openapi:check` fails when
 * the committed file differs (CI runs it, so the document and the console's generated client
 * cannot drift from the code). Nest's preview mode builds the module graph without running any
 * provider, so no database is needed.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', APP_VERSION: '1.0.0' }, { requireSecrets: false });
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  const document = `${JSON.stringify(buildOpenApiDocument(app, config.version), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync(OUTPUT, document);
    process.stdout.write(`Wrote ${OUTPUT}\n`);
    return;
  }
  let committed = '';
  try {
    committed = readFileSync(OUTPUT, 'utf8');
  } catch {
    committed = '';
  }
  if (committed !== document) {
    process.stderr.write('openapi.json is stale: the controllers changed. Run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi.json matches the code\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
