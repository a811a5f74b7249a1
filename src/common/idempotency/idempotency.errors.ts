import { DomainError } from '../domain-error';

export class IdempotencyKeyInvalidError extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_INVALID';
  readonly status = 400;
}

/** Same key, different request: the client reused a key by mistake (Stripe answers the same way). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  readonly status = 422;

  constructor() {
    super('This Idempotency-Key was used with a different request; use a new key for a new request');
  }
}

export class IdempotencyKeyInProgressError extends DomainError {
  readonly code = 'IDEMPOTENCY.IN_PROGRESS';
  readonly status = 409;

  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry shortly');
  }
}
