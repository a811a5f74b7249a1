import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { BulkheadPoolName } from '../../config/bulkhead-pools';
import { BULKHEAD_POOL_METADATA } from './bulkhead.constants';
import { BulkheadInterceptor } from './bulkhead.interceptor';

/**
 * `@Bulkhead('ofac')`: the route runs inside that pool (config/bulkhead-pools.ts) while the
 * BULKHEAD_PATTERN flag is on; a full pool or a queue timeout answers 503 with Retry-After. Only
 * decorated routes pay for the interceptor.
 */
export function Bulkhead(pool: BulkheadPoolName): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(BULKHEAD_POOL_METADATA, pool), UseInterceptors(BulkheadInterceptor));
}
