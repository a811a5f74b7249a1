import { DomainError } from '../../common/domain-error';

/** The external id was recorded before with other values: a retry must repeat the same body. */
export class TaxTransactionConflictError extends DomainError {
  readonly code = 'TAX.TRANSACTION_CONFLICT';
  readonly status = 409;

  constructor(externalId: string, fields: string[]) {
    super(`Transaction ${externalId} was already recorded with a different ${fields.join(', ')}; an external id names one transaction`);
  }
}

export class UnknownOriginalTransactionError extends DomainError {
  readonly code = 'TAX.UNKNOWN_ORIGINAL';
  readonly status = 422;

  constructor(originalExternalId: string, venueId: string) {
    super(`originalExternalId ${originalExternalId} is not a recorded charge of venue ${venueId}; record the charge first`);
  }
}

export class ReversalExceedsOriginalError extends DomainError {
  readonly code = 'TAX.REVERSAL_EXCEEDS_ORIGINAL';
  readonly status = 422;

  constructor(originalExternalId: string, remainingMinor: number) {
    super(`Refunds and chargebacks of ${originalExternalId} would exceed the charge: at most ${remainingMinor} minor units remain to reverse`);
  }
}

export class NoTaxThresholdError extends DomainError {
  readonly code = 'TAX.NO_THRESHOLD_FOR_YEAR';
  readonly status = 422;

  constructor(year: number) {
    super(`No federal Form 1099-K threshold is recorded for tax year ${year}; thresholds are data (table tax_thresholds), added by migration`);
  }
}

export class FormAlreadyCorrectedError extends DomainError {
  readonly code = 'TAX.FORM_ALREADY_CORRECTED';
  readonly status = 409;

  constructor(id: string, correctionId: string) {
    super(`Form ${id} already has a correction (${correctionId}); correct that one instead`);
  }
}

export class PayeeUnknownError extends DomainError {
  readonly code = 'TAX.PAYEE_UNKNOWN';
  readonly status = 422;

  constructor(venueId: string) {
    super(`Venue ${venueId} has never submitted its legal name and EIN (a verification); a 1099-K needs the payee's TIN`);
  }
}
