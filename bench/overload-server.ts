/**
 * Child process of bench/overload.bench.ts: the real application (every module, hook and guard)
 * plus the bench-only CPU-bound route, on PORT, against DATABASE_URL (migrated here first).
 * BENCH_REFUSE_AT=hook|guard refuses every /bench request with the 503 of load shedding, from an
 * `onRequest` hook or from a global guard, to measure what one refusal costs at each place.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../src/common/problem-details';
import { loadConfig } from '../src/config/config.loader';
import { buildDataSourceOptions } from '../src/database/data-source.options';
import { MigrationRunner } from '../src/database/migration-runner';
import { OverloadRefusalModule } from './overload-refusal.module';
import { OverloadRoutesModule } from './overload-routes.module';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const url = config.database.url as string;
  const migrations = new DataSource(buildDataSourceOptions(config.database, url, { role: 'migration' }));
  await migrations.initialize();
  try {
    await new MigrationRunner(migrations, { log: () => undefined, warn: (message) => process.stderr.write(`${message}\n`) }, config.database.migrations.lockWaitTimeoutMs).run();
  } finally {
    await migrations.destroy();
  }
  const refuseAt = process.env.BENCH_REFUSE_AT;
  const app = await createApp(config, refuseAt === 'guard' ? [OverloadRoutesModule, OverloadRefusalModule] : [OverloadRoutesModule]);
  if (refuseAt === 'hook') {
    app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
      if (!request.url.startsWith('/bench/')) return done();
      const problem = buildProblem({ status: 503, code: 'LOAD.SHED', detail: 'The service is overloaded; retry after 1 s', instance: request.url.split('?')[0] ?? '', requestId: request.id });
      void reply.code(503).header('retry-after', '1').header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
    });
  }
  await app.listen({ port: config.http.port, host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
