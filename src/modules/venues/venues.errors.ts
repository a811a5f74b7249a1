import { DomainError } from '../../common/domain-error';

export class VerificationAlreadyOpenError extends DomainError {
  readonly code = 'VERIFICATION.ALREADY_OPEN';
  readonly status = 409;

  constructor(venueId: string) {
    super(`Venue ${venueId} already has an open verification; resubmit or decide that one`);
  }
}

export class RequirementsOutstandingError extends DomainError {
  readonly code = 'VERIFICATION.REQUIREMENTS_OUTSTANDING';
  readonly status = 409;

  constructor(outstanding: string[]) {
    super(`Cannot approve while requirements are outstanding: ${outstanding.join(', ')}`);
  }
}

/** Four-eyes: the second approval must come from another officer. */
export class SameOfficerApprovalError extends DomainError {
  readonly code = 'VERIFICATION.FOUR_EYES_SAME_OFFICER';
  readonly status = 409;

  constructor() {
    super('You already approved this verification; four-eyes review needs a second approval by another officer');
  }
}

export class DocumentTypeNotAllowedError extends DomainError {
  readonly code = 'DOCUMENT.TYPE_NOT_ALLOWED';
  readonly status = 415;

  constructor(detected: string) {
    super(`The file's content is ${detected}; only PDF, PNG and JPEG are accepted (decided by the bytes, not the declared type)`);
  }
}

export class DocumentTooLargeError extends DomainError {
  readonly code = 'DOCUMENT.TOO_LARGE';
  readonly status = 413;

  constructor(limitBytes: number) {
    super(`Documents are limited to ${limitBytes} bytes`);
  }
}

export class InvalidUploadError extends DomainError {
  readonly code = 'DOCUMENT.INVALID_UPLOAD';
  readonly status = 400;
}

export class UnknownOwnerError extends DomainError {
  readonly code = 'DOCUMENT.UNKNOWN_OWNER';
  readonly status = 422;

  constructor(ownerId: string) {
    super(`Beneficial owner ${ownerId} is not part of this venue's open verification`);
  }
}
