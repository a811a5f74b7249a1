import { DomainError } from '../common/domain-error';

/** 401: no token, a malformed or badly signed one, wrong issuer or audience, expired. */
export class AuthenticationError extends DomainError {
  readonly code = 'AUTH.UNAUTHENTICATED';
  readonly status = 401;
  override readonly title = 'Unauthorized';
}

/** 403: a valid caller whose roles do not allow the operation. */
export class ForbiddenRoleError extends DomainError {
  readonly code = 'AUTH.FORBIDDEN';
  readonly status = 403;
  override readonly title = 'Forbidden';
}
