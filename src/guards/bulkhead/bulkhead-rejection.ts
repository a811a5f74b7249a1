export const BULKHEAD_REJECTION_REASONS = ['queue_full', 'queue_timeout', 'client_aborted'] as const;
export type BulkheadRejectionReason = (typeof BULKHEAD_REJECTION_REASONS)[number];

/** Why a bulkhead pool did not run a call; the interceptor turns it into a 503. */
export class BulkheadRejection extends Error {
  constructor(readonly reason: BulkheadRejectionReason) {
    super(`Bulkhead refused the call: ${reason}`);
    this.name = 'BulkheadRejection';
  }
}
