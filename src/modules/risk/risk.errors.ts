import { DomainError } from '../../common/domain-error';

export class OverrideExpiryNotInFutureError extends DomainError {
  readonly code = 'RISK.OVERRIDE_EXPIRY_PAST';
  readonly status = 422;

  constructor(expiresAt: Date) {
    super(`An override must expire in the future; ${expiresAt.toISOString()} has passed`);
  }
}

export class RiskFlagAlreadyResolvedError extends DomainError {
  readonly code = 'RISK.FLAG_ALREADY_RESOLVED';
  readonly status = 409;

  constructor(id: string) {
    super(`Risk flag ${id} is already resolved`);
  }
}
