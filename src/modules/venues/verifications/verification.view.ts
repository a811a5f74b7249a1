import type { VerificationView } from '../dto/verification.dto';
import { maskEin } from './ein';
import type { Requirements } from './requirements';
import type { DecisionRow, OwnerRow, VerificationRow } from './verification.repository';

/** The response shape: EIN masked, four-eyes progress of the current review round spelled out. */
export function toVerificationView(row: VerificationRow, owners: OwnerRow[], decisions: DecisionRow[], requirements: Requirements): VerificationView {
  const approvals = decisions.filter((decision) => decision.decision === 'approve' && decision.review_round === row.review_round);
  return {
    id: row.id,
    venueId: row.venue_id,
    state: row.state,
    legalName: row.legal_name,
    ein: maskEin(row.ein_last4),
    businessAddress: row.business_address as VerificationView['businessAddress'],
    contactEmail: row.contact_email,
    expectedAnnualVolumeCents: Number(row.expected_annual_volume_cents),
    beneficialOwners: owners.map((owner) => ({ id: owner.id, fullName: owner.full_name, dateOfBirth: owner.date_of_birth, ownershipPercent: Number(owner.ownership_percent) })),
    fourEyes: {
      required: row.four_eyes_required,
      approvals: approvals.map((decision) => ({ officerId: decision.officer_id, decidedAt: decision.decided_at.toISOString() })),
      awaitingSecondApproval: row.four_eyes_required && row.state === 'in_review' && approvals.length === 1,
    },
    decisions: decisions.map((decision) => ({
      decision: decision.decision,
      officerId: decision.officer_id,
      reason: decision.reason,
      round: decision.review_round,
      decidedAt: decision.decided_at.toISOString(),
    })),
    requirements,
    sanctionsStatus: row.sanctions_status,
    riskStatus: row.risk_status,
    submittedAt: row.submitted_at.toISOString(),
    reviewDeadline: row.review_deadline.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
  };
}
