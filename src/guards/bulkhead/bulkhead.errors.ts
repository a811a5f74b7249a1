import { DomainError } from '../../common/domain-error';

export class BulkheadFullError extends DomainError {
  readonly code = 'BULKHEAD.FULL';
  readonly status = 503;
  override readonly title = 'Service Unavailable';
}

export class BulkheadQueueTimeoutError extends DomainError {
  readonly code = 'BULKHEAD.QUEUE_TIMEOUT';
  readonly status = 503;
  override readonly title = 'Service Unavailable';
}
