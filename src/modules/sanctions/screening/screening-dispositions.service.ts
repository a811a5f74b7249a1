import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { SanctionsStatus } from '../../venues/verifications/requirements';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { DispositionRequest, DispositionView } from '../dto/screening.dto';
import { ScreeningMatchNotFoundError } from '../sanctions.errors';
import { HitDispositions } from './hit-dispositions';
import { ScreeningRepository } from './screening.repository';

const DAY_MS = 86_400_000;

/**
 * An officer's decision on one hit of one screening. It is remembered for the screening's subject
 * and the list entry as it stands, so the same hit is suppressed on later screenings of that
 * subject (false positive) until the entry changes or the review date passes; a verification's
 * sanctions status and payout answer follow in the same transaction, which the audit entry closes.
 */
@Injectable()
export class ScreeningDispositionsService {
  private readonly reviewDays: number;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly screenings: ScreeningRepository,
    private readonly verifications: VerificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.reviewDays = config.get('sanctions', { infer: true }).falsePositiveReviewDays;
  }

  dispose(principal: RequestPrincipal, screeningId: string, sdnId: string, request: DispositionRequest): Promise<DispositionView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const { view, score, verificationId } = await this.decide(tx, principal, screeningId, sdnId, request);
      await this.audit.record(tx, {
        action: `screening.${request.decision}`,
        resourceType: 'screening',
        resourceId: screeningId,
        after: { sdnId, list: view.list, score, reason: request.reason, reviewAt: view.reviewAt, verificationId, verificationSanctionsStatus: view.verificationSanctionsStatus },
      });
      return view;
    });
  }

  /**
   * Stores the decision and refreshes the verification's status in the caller's transaction; the
   * caller records the audit entry (closing an alert decides its hit through here).
   */
  async decide(
    tx: TenantTransaction,
    principal: RequestPrincipal,
    screeningId: string,
    sdnId: string,
    request: DispositionRequest,
  ): Promise<{ view: DispositionView; score: number; verificationId: string | null }> {
    const screening = await this.screenings.find(tx, principal.tenantId, screeningId);
    if (screening === undefined) throw new ResourceNotFoundError('screening', screeningId);
    const hit = [...screening.matches, ...screening.suppressed].find((candidate) => candidate.sdnId === sdnId && (request.list === undefined || candidate.list === request.list));
    if (hit === undefined) throw new ScreeningMatchNotFoundError(screeningId, sdnId);
    const reviewAt = new Date(this.clock.now().getTime() + (request.reviewAfterDays ?? this.reviewDays) * DAY_MS);
    const stored = await this.screenings.insertDisposition(tx, principal.tenantId, {
      screeningId, subjectKey: screening.subject_key, list: hit.list, sdnId, contentHash: hit.contentHash,
      disposition: request.decision, reason: request.reason, decidedBy: principal.userId, reviewAt,
    });
    const verificationStatus = screening.verification_id === null ? null : await this.refreshVerification(tx, principal.tenantId, screening.verification_id);
    const view: DispositionView = {
      id: stored.id, screeningId, sdnId, list: hit.list, decision: request.decision, reason: request.reason, decidedBy: principal.userId,
      decidedAt: stored.decided_at.toISOString(), reviewAt: reviewAt.toISOString(), verificationSanctionsStatus: verificationStatus,
    };
    return { view, score: hit.score, verificationId: screening.verification_id };
  }

  /** Recomputes the status from the verification's latest screenings and every decision on their subjects. */
  private async refreshVerification(tx: TenantTransaction, tenantId: string, verificationId: string): Promise<Exclude<SanctionsStatus, 'not_run'>> {
    const latest = await this.screenings.latestForVerification(tx, tenantId, verificationId);
    const dispositions = new HitDispositions(await this.screenings.dispositionsFor(tx, tenantId, latest.map((row) => row.subject_key)), this.clock.now());
    const status = dispositions.statusOf(latest.map((row) => ({ subjectKey: row.subject_key, hits: [...row.matches, ...row.suppressed] })));
    await this.verifications.setSanctionsStatus(tx, tenantId, verificationId, status);
    return status;
  }
}
