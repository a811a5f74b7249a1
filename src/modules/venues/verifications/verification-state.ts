import { DomainError } from '../../../common/domain-error';

export const VERIFICATION_STATES = ['pending', 'in_review', 'verified', 'rejected', 'action_required', 'expired'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];

/** States in which a verification still awaits something; one per venue at a time. */
export const OPEN_STATES: readonly VerificationState[] = ['pending', 'in_review', 'action_required'];
/** States the review queue lists: waiting for an officer's decision. */
export const AWAITING_DECISION: readonly VerificationState[] = ['pending', 'in_review'];

export type VerificationEvent = 'first_approval' | 'approve' | 'reject' | 'request_changes' | 'resubmit' | 'expire';

/**
 * The one table of legal transitions (Ballerine's KYB workflows are state machines the same way).
 * `first_approval` is the first of two four-eyes approvals: the verification waits in review for
 * a second officer.
 */
const TRANSITIONS: Record<VerificationEvent, Partial<Record<VerificationState, VerificationState>>> = {
  first_approval: { pending: 'in_review', in_review: 'in_review' },
  approve: { pending: 'verified', in_review: 'verified' },
  reject: { pending: 'rejected', in_review: 'rejected', action_required: 'rejected' },
  request_changes: { pending: 'action_required', in_review: 'action_required' },
  resubmit: { action_required: 'pending' },
  expire: { verified: 'expired' },
};

export class IllegalTransitionError extends DomainError {
  readonly code = 'VERIFICATION.ILLEGAL_TRANSITION';
  readonly status = 409;

  constructor(from: VerificationState, event: VerificationEvent) {
    super(`A verification in state ${from} cannot ${event.replace('_', ' ')}`);
  }
}

export function nextState(from: VerificationState, event: VerificationEvent): VerificationState {
  const to = TRANSITIONS[event][from];
  if (to === undefined) throw new IllegalTransitionError(from, event);
  return to;
}
