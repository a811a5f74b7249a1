import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock';
import { decodeCursor, pageOf } from '../../../common/pagination';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { DecisionRequest, ReviewQueueItem, ReviewQueueQuery, VerificationView } from '../dto/verification.dto';
import { RequirementsOutstandingError, SameOfficerApprovalError } from '../venues.errors';
import { approvalBlockers } from './requirements';
import { VerificationChecklist } from './verification-checklist';
import { nextState, type VerificationEvent } from './verification-state';
import { type QueueRow, VerificationRepository, type VerificationRow } from './verification.repository';
import { auditState, VerificationsService } from './verifications.service';

const DAY_MS = 86_400_000;

/** Officers' work: the review queue and decisions, with four-eyes approval. */
@Injectable()
export class VerificationDecisionsService {
  private readonly validityDays: number;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly verifications: VerificationRepository,
    private readonly service: VerificationsService,
    private readonly checklist: VerificationChecklist,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.validityDays = config.get('domain', { infer: true }).verificationValidityDays;
  }

  /**
   * Applies an officer's decision under the verification's row lock, so two officers approving at
   * once serialise: the second sees the first approval and completes four-eyes (or is refused as
   * the same officer). The decision, the new state and the audit entry commit together.
   */
  decide(principal: RequestPrincipal, id: string, request: DecisionRequest): Promise<VerificationView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.service.findAccessible(tx, principal, id, true);
      const event = await this.eventFor(tx, principal, row, request);
      const state = nextState(row.state, event);
      const now = this.clock.now();
      await this.verifications.insertDecision(tx, principal.tenantId, id, row.review_round, principal.userId, request.decision, request.reason ?? null);
      await this.verifications.update(tx, principal.tenantId, id, {
        state,
        ...(state === 'verified' ? { verified_at: now, expires_at: new Date(now.getTime() + this.validityDays * DAY_MS) } : {}),
        ...(state === 'verified' || state === 'rejected' || state === 'action_required' ? { decided_at: now } : {}),
      });
      const view = await this.service.refreshedView(tx, principal.tenantId, id);
      await this.audit.record(tx, {
        action: `verification.${event === 'first_approval' ? 'first_approval' : request.decision}`,
        resourceType: 'verification',
        resourceId: id,
        before: { state: row.state },
        after: auditState(view),
        subjectId: row.venue_id,
        // Free text about the venue and its people: kept where an erasure can destroy it.
        personal: { reason: request.reason ?? null },
      });
      return view;
    });
  }

  async queue(principal: RequestPrincipal, query: ReviewQueueQuery): Promise<{ items: ReviewQueueItem[]; nextCursor: string | null; overdueCount: number }> {
    const after = decodeCursor(query.cursor);
    const now = this.clock.now();
    const filter = {
      state: query.state,
      sanctionsStatus: query.sanctionsStatus,
      riskStatus: query.riskStatus,
      submittedBefore: query.minAgeDays === undefined ? undefined : new Date(now.getTime() - query.minAgeDays * DAY_MS),
    };
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const rows = await this.verifications.queue(tx, principal.tenantId, filter, after, query.limit);
      const overdueCount = await this.verifications.overdueCount(tx, principal.tenantId, filter);
      const page = pageOf(rows, query.limit, (row) => toQueueItem(row, now), (row) => ({ key: row.submitted_at.toISOString(), id: row.id }));
      return { ...page, overdueCount };
    });
  }

  private async eventFor(tx: TenantTransaction, principal: RequestPrincipal, row: VerificationRow, request: DecisionRequest): Promise<VerificationEvent> {
    if (request.decision !== 'approve') return request.decision;
    const requirements = await this.checklist.compute(tx, row);
    const outstanding = approvalBlockers(requirements);
    if (outstanding.length > 0) throw new RequirementsOutstandingError(outstanding);
    if (!row.four_eyes_required) return 'approve';
    const approvals = (await this.verifications.decisions(tx, principal.tenantId, row.id)).filter(
      (decision) => decision.decision === 'approve' && decision.review_round === row.review_round,
    );
    if (approvals.some((decision) => decision.officer_id === principal.userId)) throw new SameOfficerApprovalError();
    return approvals.length === 0 ? 'first_approval' : 'approve';
  }
}

function toQueueItem(row: QueueRow, now: Date): ReviewQueueItem {
  return {
    id: row.id,
    venueId: row.venue_id,
    legalName: row.legal_name,
    state: row.state,
    submittedAt: row.submitted_at.toISOString(),
    waitingDays: Math.floor((now.getTime() - row.submitted_at.getTime()) / DAY_MS),
    overdue: row.review_deadline < now,
    fourEyesRequired: row.four_eyes_required,
    approvals: row.approvals,
    sanctionsStatus: row.sanctions_status,
    riskStatus: row.risk_status,
  };
}
