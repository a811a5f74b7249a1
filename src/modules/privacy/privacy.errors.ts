import { DomainError } from '../../common/domain-error';

export class PrivacyRequestTransitionError extends DomainError {
  readonly code = 'PRIVACY.INVALID_TRANSITION';
  readonly status = 409;

  constructor(action: string, why: string) {
    super(`Cannot ${action} this request: ${why}`);
  }
}

export class ExportNotReadyError extends DomainError {
  readonly code = 'PRIVACY.EXPORT_NOT_READY';
  readonly status = 409;

  constructor(requestId: string) {
    super(`Request ${requestId} has no export to download: only a completed access request has one, and it is removed after its keep period`);
  }
}

export class ExportLinkRejectedError extends DomainError {
  readonly code = 'PRIVACY.EXPORT_LINK_REJECTED';
  readonly status = 403;

  constructor(why: string) {
    super(`The download link was refused: ${why}`);
  }
}
