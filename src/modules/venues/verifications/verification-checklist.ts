import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import { DomainEventsService } from '../../events/domain-events.service';
import { DocumentRepository } from '../documents/document.repository';
import { ProcessorAccountRepository } from '../processor-accounts/processor-account.repository';
import { computeRequirements, type Requirements, requirementsDue } from './requirements';
import { VerificationRepository, type VerificationRow } from './verification.repository';

/**
 * Computes a verification's requirements from its facts (owners, the venue's documents, screening,
 * risk, what payment processors report of the venue's account) and stores the payout answer on
 * the row in the same transaction, so the payout-eligibility read is one indexed row and never
 * stale after a change commits. Every refresh follows a change, so it also announces it
 * (`venue.verification_updated`, and `venue.payout_eligibility_changed` when the answer flips) in
 * that transaction.
 */
@Injectable()
export class VerificationChecklist {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly documents: DocumentRepository,
    private readonly processorAccounts: ProcessorAccountRepository,
    private readonly clock: Clock,
    private readonly events: DomainEventsService,
  ) {}

  async compute(tx: TenantTransaction, row: VerificationRow): Promise<Requirements> {
    // One connection runs one query at a time: these go one after another.
    const owners = await this.verifications.owners(tx, row.tenant_id, row.id);
    const documents = await this.documents.listForVenue(tx, row.tenant_id, row.venue_id);
    const decisions = row.state === 'action_required' ? await this.verifications.decisions(tx, row.tenant_id, row.id) : [];
    const changesRequested = decisions.filter((decision) => decision.decision === 'request_changes').at(-1)?.reason ?? null;
    const processorAccounts = await this.processorAccounts.forVenue(tx, row.tenant_id, row.venue_id);
    return computeRequirements(
      {
        state: row.state,
        reviewDeadline: row.review_deadline,
        expiresAt: row.expires_at,
        owners: owners.map((owner) => ({ id: owner.id, ownershipPercent: Number(owner.ownership_percent) })),
        documents: documents.map((document) => ({ kind: document.kind, ownerId: document.owner_id, status: document.status, decisionReason: document.decision_reason })),
        sanctionsStatus: row.sanctions_status,
        riskStatus: row.risk_status,
        changesRequested,
        processorAccounts,
      },
      this.clock.now(),
    );
  }

  /** Recomputes and stores; call after any change to the verification or the venue's documents. */
  async refresh(tx: TenantTransaction, row: VerificationRow): Promise<Requirements> {
    const requirements = await this.compute(tx, row);
    const due = requirementsDue(requirements);
    await this.verifications.update(tx, row.tenant_id, row.id, { payout_disabled_reason: requirements.disabled_reason, requirements_due: due });
    const resourceKey = `venue:${row.venue_id}`;
    const answer = { venueId: row.venue_id, verificationId: row.id, eligible: requirements.disabled_reason === null, disabledReason: requirements.disabled_reason };
    await this.events.record(tx, row.tenant_id, { type: 'venue.verification_updated', resourceKey, payload: { ...answer, state: row.state, requirementsDue: due } });
    if ((row.payout_disabled_reason === null) !== answer.eligible) {
      await this.events.record(tx, row.tenant_id, { type: 'venue.payout_eligibility_changed', resourceKey, payload: answer });
    }
    return requirements;
  }
}
