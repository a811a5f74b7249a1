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

export class FlagStoreUnavailableError extends DomainError {
  readonly code = 'FLAG.STORE_UNAVAILABLE';
  readonly status = 503;
}
