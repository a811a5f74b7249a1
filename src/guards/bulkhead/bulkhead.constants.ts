export const BULKHEAD_POOL_METADATA = 'compliance:bulkhead-pool';
