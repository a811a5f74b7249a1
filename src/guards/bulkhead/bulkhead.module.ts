import { Global, Module } from '@nestjs/common';
import { BulkheadInterceptor } from './bulkhead.interceptor';
import { BulkheadRegistry } from './bulkhead.registry';
import { bulkheadMetricProviders } from './bulkhead.metrics';

/**
 * `@Bulkhead(pool)`. Global: Nest builds the interceptor in the module of each controller that
 * uses the decorator, so the pools must be visible from every module.
 */
@Global()
@Module({
  providers: [...bulkheadMetricProviders, BulkheadRegistry, BulkheadInterceptor],
  exports: [BulkheadRegistry, BulkheadInterceptor],
})
export class BulkheadModule {}
