import { isProcessorRequirement, type ProcessorAccountState, processorRequirement, processorRestriction } from '../processor-accounts/processor-account';
import type { VerificationState } from './verification-state';

export type DocumentStatus = 'pending' | 'accepted' | 'rejected' | 'revision_requested';
export type SanctionsStatus = 'not_run' | 'clear' | 'potential_match' | 'match';
export type RiskStatus = 'not_run' | 'approve' | 'monitor' | 'manual_review' | 'block';

/** Beneficial owners from this share up must be identified (FinCEN CDD rule, 31 CFR 1010.230). */
export const OWNERSHIP_IDENTIFICATION_PERCENT = 25;

export interface RequirementInputs {
  state: VerificationState;
  reviewDeadline: Date;
  expiresAt: Date | null;
  owners: ReadonlyArray<{ id: string; ownershipPercent: number }>;
  /** Newest first: the latest document of a kind (and owner) is the one that counts. */
  documents: ReadonlyArray<{ kind: string; ownerId: string | null; status: DocumentStatus; decisionReason: string | null }>;
  sanctionsStatus: SanctionsStatus;
  riskStatus: RiskStatus;
  /** The officer's reason when changes were requested. */
  changesRequested: string | null;
  /** What each payment processor last reported about the venue's connected account. */
  processorAccounts: readonly ProcessorAccountState[];
}

export interface RequirementError {
  code: string;
  requirement: string;
  reason: string;
}

/** Shaped like Stripe Connect's `requirements` hash, which payout teams already know. */
export interface Requirements {
  currently_due: string[];
  eventually_due: string[];
  past_due: string[];
  pending_verification: string[];
  errors: RequirementError[];
  current_deadline: string | null;
  disabled_reason: string | null;
}

type Status = 'satisfied' | 'due' | 'pending' | 'eventually';

/**
 * The checklist that gates payouts, computed from facts only (no clock but `now`, no I/O), so the
 * same function serves responses, the stored payout answer and tests.
 */
export function computeRequirements(inputs: RequirementInputs, now: Date): Requirements {
  const result: Requirements = { currently_due: [], eventually_due: [], past_due: [], pending_verification: [], errors: [], current_deadline: null, disabled_reason: null };
  const put = (requirement: string, status: Status): void => {
    if (status === 'due') result.currently_due.push(requirement);
    if (status === 'pending') result.pending_verification.push(requirement);
    if (status === 'due' || status === 'eventually') result.eventually_due.push(requirement);
  };

  if (inputs.state === 'action_required') {
    put('business.resubmission', 'due');
    result.errors.push({ code: 'verification_changes_requested', requirement: 'business.resubmission', reason: inputs.changesRequested ?? 'An officer requested changes' });
  }
  put('documents.w9', documentStatus(inputs, 'W9', null, 'documents.w9', result.errors));
  for (const owner of inputs.owners) {
    if (owner.ownershipPercent < OWNERSHIP_IDENTIFICATION_PERCENT) continue;
    const requirement = `owners.${owner.id}.id_document`;
    put(requirement, documentStatus(inputs, 'ID', owner.id, requirement, result.errors));
  }
  put('sanctions.screening', sanctionsStatus(inputs.sanctionsStatus, result.errors));
  put('risk.assessment', riskStatus(inputs.riskStatus, result.errors));

  const open = inputs.state === 'pending' || inputs.state === 'in_review' || inputs.state === 'action_required';
  if (open && result.currently_due.length > 0) {
    result.current_deadline = inputs.reviewDeadline.toISOString();
    if (now >= inputs.reviewDeadline) result.past_due = [...result.currently_due];
  }
  // Added after the review deadline's past_due: a processor's requirements run on its deadlines, not ours.
  const restricted = processorRequirements(inputs.processorAccounts, result);
  result.disabled_reason = disabledReason(inputs, result, restricted, now);
  return result;
}

/** What blocks payouts now: due items and items waiting for an officer. */
export function requirementsDue(requirements: Requirements): string[] {
  return [...new Set([...requirements.currently_due, ...requirements.pending_verification])];
}

/**
 * What an officer's approval waits for. A processor's restriction is lifted at the processor (the
 * venue completes what it asks there), so it stops payouts but not the approval of what the venue
 * submitted here: otherwise the two reviews would wait for each other.
 */
export function approvalBlockers(requirements: Requirements): string[] {
  return requirementsDue(requirements).filter((requirement) => !isProcessorRequirement(requirement));
}

/** A restricted account is due, and past due when the processor says so; true when any is restricted. */
function processorRequirements(accounts: readonly ProcessorAccountState[], result: Requirements): boolean {
  let restricted = false;
  for (const account of accounts) {
    const reason = processorRestriction(account);
    if (reason === null) continue;
    const requirement = processorRequirement(account.processor);
    result.currently_due.push(requirement);
    result.eventually_due.push(requirement);
    if (account.pastDue.length > 0) result.past_due.push(requirement);
    result.errors.push({ code: 'processor_account_restricted', requirement, reason });
    restricted = true;
  }
  return restricted;
}

function documentStatus(inputs: RequirementInputs, kind: string, ownerId: string | null, requirement: string, errors: RequirementError[]): Status {
  const latest = inputs.documents.find((document) => document.kind === kind && (ownerId === null || document.ownerId === ownerId));
  if (latest === undefined) return 'due';
  if (latest.status === 'accepted') return 'satisfied';
  if (latest.status === 'pending') return 'pending';
  errors.push({
    code: latest.status === 'rejected' ? 'verification_document_rejected' : 'verification_document_revision_requested',
    requirement,
    reason: latest.decisionReason ?? 'The document was not accepted',
  });
  return 'due';
}

function sanctionsStatus(status: SanctionsStatus, errors: RequirementError[]): Status {
  if (status === 'clear') return 'satisfied';
  if (status === 'potential_match') return 'pending';
  if (status === 'match') {
    errors.push({ code: 'sanctions_match', requirement: 'sanctions.screening', reason: 'A party matches a sanctions list entry' });
    return 'due';
  }
  return 'eventually';
}

function riskStatus(status: RiskStatus, errors: RequirementError[]): Status {
  if (status === 'approve' || status === 'monitor') return 'satisfied';
  if (status === 'manual_review') return 'pending';
  if (status === 'block') {
    errors.push({ code: 'risk_too_high', requirement: 'risk.assessment', reason: 'The risk assessment is at the block level' });
    return 'due';
  }
  return 'eventually';
}

/** Stripe's vocabulary (`listed`, `rejected.*`, `requirements.*`, `under_review`), and `processor.restricted`; null = payouts on. */
function disabledReason(inputs: RequirementInputs, requirements: Requirements, processorRestricted: boolean, now: Date): string | null {
  if (inputs.sanctionsStatus === 'match') return inputs.state === 'rejected' ? 'rejected.listed' : 'listed';
  if (inputs.state === 'rejected') return 'rejected.other';
  if (inputs.state === 'expired' || (inputs.state === 'verified' && inputs.expiresAt !== null && inputs.expiresAt <= now)) return 'requirements.past_due';
  // A block-level risk assessment stops payouts even to a verified venue until an officer has
  // looked into it (issue 11); Stripe's `under_review` says the same of accounts it investigates.
  if (inputs.riskStatus === 'block') return 'under_review';
  // The processor would refuse the payout anyway; the checklist's error says what it asks for.
  if (processorRestricted) return 'processor.restricted';
  if (inputs.state === 'verified') return null;
  if (requirements.currently_due.length > 0) return 'requirements.past_due';
  if (requirements.pending_verification.length > 0) return 'requirements.pending_verification';
  return 'under_review';
}
