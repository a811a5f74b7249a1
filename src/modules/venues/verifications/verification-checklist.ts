import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import { DocumentRepository } from '../documents/document.repository';
import { computeRequirements, type Requirements, requirementsDue } from './requirements';
import { VerificationRepository, type VerificationRow } from './verification.repository';

/**
 * Computes a verification's requirements from its facts (owners, the venue's documents, screening
 * and risk) and stores the payout answer on the row in the same transaction, so the
 * payout-eligibility read is one indexed row and never stale after a change commits.
 */
@Injectable()
export class VerificationChecklist {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly documents: DocumentRepository,
    private readonly clock: Clock,
  ) {}

  async compute(tx: TenantTransaction, row: VerificationRow): Promise<Requirements> {
    // One connection runs one query at a time: these go one after another.
    const owners = await this.verifications.owners(tx, row.tenant_id, row.id);
    const documents = await this.documents.listForVenue(tx, row.tenant_id, row.venue_id);
    const decisions = row.state === 'action_required' ? await this.verifications.decisions(tx, row.tenant_id, row.id) : [];
    const changesRequested = decisions.filter((decision) => decision.decision === 'request_changes').at(-1)?.reason ?? null;
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
      },
      this.clock.now(),
    );
  }

  /** Recomputes and stores; call after any change to the verification or the venue's documents. */
  async refresh(tx: TenantTransaction, row: VerificationRow): Promise<Requirements> {
    const requirements = await this.compute(tx, row);
    await this.verifications.update(tx, row.tenant_id, row.id, {
      payout_disabled_reason: requirements.disabled_reason,
      requirements_due: requirementsDue(requirements),
    });
    return requirements;
  }
}
