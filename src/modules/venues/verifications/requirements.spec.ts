import type { ProcessorAccountState } from '../processor-accounts/processor-account';
import { approvalBlockers, computeRequirements, type RequirementInputs, requirementsDue } from './requirements';

const now = new Date('2026-12-01T12:00:00Z');
const base: RequirementInputs = {
  state: 'pending',
  reviewDeadline: new Date('2026-12-15T12:00:00Z'),
  expiresAt: null,
  owners: [{ id: 'o1', ownershipPercent: 60 }, { id: 'o2', ownershipPercent: 10 }],
  documents: [],
  sanctionsStatus: 'not_run',
  riskStatus: 'not_run',
  changesRequested: null,
  processorAccounts: [],
};
const verified: RequirementInputs = { ...base, state: 'verified', expiresAt: new Date('2027-12-01T00:00:00Z') };
/** Verified with nothing outstanding here: what remains is the processor's. */
const settled: RequirementInputs = {
  ...verified,
  documents: [{ kind: 'W9', ownerId: null, status: 'accepted', decisionReason: null }, { kind: 'ID', ownerId: 'o1', status: 'accepted', decisionReason: null }],
  sanctionsStatus: 'clear',
  riskStatus: 'approve',
};
const stripeAccount: ProcessorAccountState = { processor: 'stripe', accountId: 'acct_1', payoutsEnabled: true, disabledReason: null, pastDue: [] };

describe('requirements checklist', () => {
  it('asks a new verification for its W-9 and the ID of each owner from 25 %, not smaller owners', () => {
    const requirements = computeRequirements(base, now);
    expect(requirements.currently_due).toEqual(['documents.w9', 'owners.o1.id_document']);
    expect(requirements.eventually_due).toEqual(expect.arrayContaining(['sanctions.screening', 'risk.assessment']));
    expect(requirements.past_due).toEqual([]);
    expect(requirements.current_deadline).toBe('2026-12-15T12:00:00.000Z');
    expect(requirements.disabled_reason).toBe('requirements.past_due');
  });

  it('moves uploaded documents to pending verification and accepted ones off the list', () => {
    const requirements = computeRequirements({
      ...base,
      documents: [
        { kind: 'W9', ownerId: null, status: 'pending', decisionReason: null },
        { kind: 'ID', ownerId: 'o1', status: 'accepted', decisionReason: null },
      ],
    }, now);
    expect(requirements.currently_due).toEqual([]);
    expect(requirements.pending_verification).toEqual(['documents.w9']);
    expect(requirements.disabled_reason).toBe('requirements.pending_verification');
    expect(requirementsDue(requirements)).toEqual(['documents.w9']);
  });

  it('reports a rejected document as an error with the officer\'s reason, and due again', () => {
    const requirements = computeRequirements({ ...base, documents: [{ kind: 'W9', ownerId: null, status: 'rejected', decisionReason: 'unsigned' }] }, now);
    expect(requirements.currently_due).toContain('documents.w9');
    expect(requirements.errors).toContainEqual({ code: 'verification_document_rejected', requirement: 'documents.w9', reason: 'unsigned' });
  });

  it('lists due items as past due once the deadline passed', () => {
    expect(computeRequirements(base, new Date('2026-12-16T00:00:00Z')).past_due).toEqual(['documents.w9', 'owners.o1.id_document']);
  });

  it('enables payouts only for a verified, unexpired, unlisted venue', () => {
    expect(computeRequirements(verified, now).disabled_reason).toBeNull();
    expect(computeRequirements({ ...verified, expiresAt: new Date('2026-11-30T00:00:00Z') }, now).disabled_reason).toBe('requirements.past_due');
    expect(computeRequirements({ ...verified, sanctionsStatus: 'match' }, now).disabled_reason).toBe('listed');
    expect(computeRequirements({ ...base, state: 'rejected' }, now).disabled_reason).toBe('rejected.other');
  });

  it('stops payouts of a venue whose risk assessment is at the block level, verified or not, and lists the assessment as due', () => {
    const blocked = computeRequirements({ ...verified, riskStatus: 'block' }, now);
    expect(blocked.disabled_reason).toBe('under_review');
    expect(blocked.currently_due).toContain('risk.assessment');
    expect(blocked.errors).toContainEqual({ code: 'risk_too_high', requirement: 'risk.assessment', reason: expect.any(String) });
    expect(computeRequirements({ ...base, riskStatus: 'block' }, now).disabled_reason).toBe('under_review');
    expect(computeRequirements({ ...verified, riskStatus: 'manual_review' }, now).disabled_reason).toBeNull();
    expect(computeRequirements({ ...verified, riskStatus: 'block', sanctionsStatus: 'match' }, now).disabled_reason).toBe('listed');
  });

  it('asks for a resubmission with the officer\'s reason when changes were requested', () => {
    const requirements = computeRequirements({ ...base, state: 'action_required', changesRequested: 'wrong address' }, now);
    expect(requirements.currently_due).toContain('business.resubmission');
    expect(requirements.errors).toContainEqual({ code: 'verification_changes_requested', requirement: 'business.resubmission', reason: 'wrong address' });
  });

  it('stops payouts of a verified venue whose processor account is restricted, and shows why', () => {
    const restricted = computeRequirements({ ...settled, processorAccounts: [{ ...stripeAccount, payoutsEnabled: false, disabledReason: 'requirements.past_due', pastDue: ['external_account'] }] }, now);
    expect(restricted.disabled_reason).toBe('processor.restricted');
    expect(restricted.currently_due).toEqual(['processor.stripe']);
    expect(restricted.past_due).toEqual(['processor.stripe']);
    expect(restricted.errors).toEqual([
      { code: 'processor_account_restricted', requirement: 'processor.stripe', reason: 'Stripe restricted the connected account acct_1: requirements.past_due; past due: external_account; payouts disabled' },
    ]);
    expect(requirementsDue(restricted)).toEqual(['processor.stripe']);
  });

  it('counts payouts switched off alone as a restriction, and neither an unrestricted account nor one whose payouts flag is unknown', () => {
    expect(computeRequirements({ ...settled, processorAccounts: [{ ...stripeAccount, payoutsEnabled: false }] }, now).disabled_reason).toBe('processor.restricted');
    const unrestricted = computeRequirements({ ...settled, processorAccounts: [stripeAccount] }, now);
    expect(unrestricted.disabled_reason).toBeNull();
    expect(unrestricted.errors).toEqual([]);
    expect(computeRequirements({ ...settled, processorAccounts: [{ ...stripeAccount, payoutsEnabled: null }] }, now).currently_due).toEqual([]);
  });

  it('keeps the processor off our review deadline and off an officer\'s approval, and lets our own stronger reasons win', () => {
    const account = { ...stripeAccount, disabledReason: 'requirements.pending_verification' };
    const overdue = computeRequirements({ ...base, processorAccounts: [account] }, new Date('2026-12-16T00:00:00Z'));
    expect(overdue.past_due).toEqual(['documents.w9', 'owners.o1.id_document']);
    expect(overdue.currently_due).toContain('processor.stripe');
    expect(approvalBlockers(overdue)).toEqual(['documents.w9', 'owners.o1.id_document']);
    expect(computeRequirements({ ...settled, sanctionsStatus: 'match', processorAccounts: [account] }, now).disabled_reason).toBe('listed');
    expect(computeRequirements({ ...settled, riskStatus: 'block', processorAccounts: [account] }, now).disabled_reason).toBe('under_review');
  });
});
