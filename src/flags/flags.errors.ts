import { DomainError } from '../common/domain-error';

export class UnknownFlagError extends DomainError {
  readonly code = 'FLAG.UNKNOWN';
  readonly status = 404;

  constructor(name: string) {
    super(`There is no feature flag named ${JSON.stringify(name.slice(0, 64))}`);
  }
}

export class FlagOverrideNotFoundError extends DomainError {
  readonly code = 'FLAG.OVERRIDE_NOT_FOUND';
  readonly status = 404;
}

/** PostgreSQL could not be reached: worth retrying. */
export class FlagStoreUnavailableError extends DomainError {
  readonly code = 'FLAG.STORE_UNAVAILABLE';
  readonly status = 503;
}

/** Any other failure of the store: a fault of ours, not worth retrying. Its cause is logged, never sent. */
export class FlagStoreFailedError extends DomainError {
  readonly code = 'FLAG.STORE_FAILED';
  readonly status = 500;
}

/** A tenant override or a rollout on a flag that is only ever evaluated for the whole instance. */
export class FlagScopeError extends DomainError {
  readonly code = 'FLAG.SCOPE_MISMATCH';
  readonly status = 422;
  override readonly title = 'Override does not fit the flag’s scope';
}
