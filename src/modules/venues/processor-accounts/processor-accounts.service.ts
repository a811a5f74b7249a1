import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { AuditActor } from '../../audit/audit-entry';
import { AuditService } from '../../audit/audit.service';
import { VerificationRepository } from '../verifications/verification.repository';
import { VerificationsService } from '../verifications/verifications.service';
import { type ProcessorAccountReport, processorRestriction } from './processor-account';
import { ProcessorAccountRepository, type StoredProcessorAccount } from './processor-account.repository';

/**
 * Payment processors' reports on venues' connected accounts, as a signal on the venue's
 * verification: a restricted account is an error in the checklist and stops payouts; a later
 * report that lifts the restriction lifts both. Runs in the caller's transaction (the webhook
 * inbox's), so the report, the payout answer, their events and the audit entry commit together.
 */
@Injectable()
export class ProcessorAccountsService {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly accounts: ProcessorAccountRepository,
    private readonly venueVerifications: VerificationsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores the report unless a report created later is stored (processors deliver out of order),
   * and refreshes the venue's checklists when the restriction changed: their refresh announces
   * `venue.verification_updated` and, when payouts flip, `venue.payout_eligibility_changed`. Every
   * report is audited, with whether it applied. Under the locks of the venue's verifications, so
   * it serialises with officers' decisions and risk assessments. A venue without a verification
   * is not this tenant's: the caller checks (VerificationsService.isKnownVenue) before it stores
   * anything.
   */
  async applyReport(tx: TenantTransaction, tenantId: string, venueId: string, eventId: string, report: ProcessorAccountReport, actor: AuditActor): Promise<void> {
    if ((await this.verifications.lockVenue(tx, tenantId, venueId)).length === 0) throw new Error(`Venue ${venueId} has no verification to signal`);
    const previous = (await this.accounts.forVenue(tx, tenantId, venueId)).find((account) => account.processor === report.processor);
    const next: StoredProcessorAccount = {
      processor: report.processor,
      accountId: report.accountId,
      payoutsEnabled: report.payoutsEnabled,
      disabledReason: report.disabledReason,
      pastDue: report.pastDue,
      eventId,
      reportedAt: new Date(report.reportedAt),
    };
    const applied = await this.accounts.saveIfNewer(tx, tenantId, venueId, next);
    const restriction = processorRestriction(applied ? next : previous);
    if (applied && restriction !== processorRestriction(previous)) await this.venueVerifications.refreshVenue(tx, tenantId, venueId);
    await this.audit.record(
      tx,
      {
        action: 'venue.kyc_signal_received',
        resourceType: 'venue',
        resourceId: venueId,
        subjectId: venueId,
        before: previous === undefined ? null : { eventId: previous.eventId, reportedAt: previous.reportedAt.toISOString(), restriction: processorRestriction(previous) },
        // Not applied: a report created later was already stored, and stays.
        after: { ...report, eventId, applied, restriction },
      },
      actor,
    );
  }
}
