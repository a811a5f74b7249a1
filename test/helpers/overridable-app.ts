import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { configureApp, createFastifyAdapter } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { LogDestination } from '../../src/logging/log-destination';
import type { CapturedLogs } from './captured-logs';
import { testConfig } from './test-app';

export interface ProviderOverride {
  provide: abstract new (...args: never[]) => unknown;
  useValue: unknown;
}

export interface OverridableAppOptions {
  env?: Record<string, string | undefined>;
  imports?: NonNullable<DynamicModule['imports']>;
  /** Providers replaced through Nest's testing module: fakes of ports only (load signals, clocks). */
  overrides?: ProviderOverride[];
  /** Captures the real logger's lines; the level is `info` unless `env` sets LOG_LEVEL. */
  logs?: CapturedLogs;
}

/**
 * The real application, set up exactly as `createApp` does, with chosen providers overridden; with
 * `logs`, its JSON lines are kept in memory. Initialised and ready for `inject` or `listen`.
 */
export async function startOverridableApp(options: OverridableAppOptions = {}): Promise<NestFastifyApplication> {
  const config = testConfig({ ...(options.logs ? { LOG_LEVEL: 'info' } : {}), ...options.env });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config, options.imports ?? [])] });
  const overrides = [...(options.overrides ?? []), ...(options.logs ? [{ provide: LogDestination, useValue: options.logs }] : [])];
  for (const override of overrides) builder = builder.overrideProvider(override.provide).useValue(override.useValue);
  const moduleRef = await builder.compile();
  const app = await configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config), { bufferLogs: true }), config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
