import { DomainError } from '../common/domain-error';

/** A job whose handler is registered nowhere: the same 404 as any unknown resource. */
export class UnknownJobError extends DomainError {
  readonly code = 'RESOURCE.NOT_FOUND';
  readonly status = 404;

  constructor(name: string) {
    super(`No job ${name} was found`);
  }
}

/** `throttleSeconds`: a job of this name was already created in the current window. */
export class JobThrottledError extends DomainError {
  readonly code = 'JOB.THROTTLED';
  readonly status = 409;

  constructor(name: string) {
    super(`A run of ${name} was already requested in its throttle window; it runs soon`);
  }
}

/**
 * What pg-boss stores as the failed job's output instead of the handler's error: the error's type
 * and a message without values (src/common/loggable-error.ts), never a driver's detail or a stack.
 */
export class JobAttemptFailedError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobAttemptFailedError';
    this.stack = undefined;
  }
}
