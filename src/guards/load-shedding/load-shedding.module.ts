import { Module } from '@nestjs/common';
import { LoadMonitor } from './load-monitor';
import { LoadSheddingHook } from './load-shedding.hook';
import { loadSheddingMetricProviders } from './load-shedding.metrics';
import { ProcessLoadMonitor } from './process-load-monitor';

/** `@Criticality` and the `onRequest` hook that sheds; app.factory.ts registers the hook on Fastify. */
@Module({
  providers: [...loadSheddingMetricProviders, { provide: LoadMonitor, useClass: ProcessLoadMonitor }, LoadSheddingHook],
  exports: [LoadSheddingHook],
})
export class LoadSheddingModule {}
