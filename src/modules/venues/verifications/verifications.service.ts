import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock } from '../../../common/clock';
import { countsByKey } from '../../../common/counts-by-key';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig, DomainConfig } from '../../../config/app-config';
import { FieldCipher, type SealedValue } from '../../../crypto/field-cipher';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { VerificationSubmission, VerificationView } from '../dto/verification.dto';
import { assertVenueAccess, canAccessVenue } from '../venue-access';
import { VerificationAlreadyOpenError } from '../venues.errors';
import { VerificationChecklist } from './verification-checklist';
import { type VerificationParties, VerificationScreeningHook } from './verification-screening.hook';
import type { Requirements, RiskStatus, SanctionsStatus } from './requirements';
import { nextState, OPEN_STATES, VERIFICATION_STATES, type VerificationState } from './verification-state';
import { VerificationRepository, type VerificationRow } from './verification.repository';
import { toVerificationView } from './verification.view';

const DAY_MS = 86_400_000;

/** What risk scoring reads of a venue's current verification (VerificationsService.riskFacts). */
export interface VerificationRiskSnapshot {
  verificationId: string;
  state: VerificationState;
  /** Verified, but its validity has ended. */
  lapsed: boolean;
  sanctionsStatus: SanctionsStatus;
  expectedAnnualVolumeCents: number;
  requirements: Requirements;
}

/** A venue as payee of Form 1099-K; the EIN sealed. */
export interface TaxPayee {
  legalName: string;
  ein: SealedValue;
  einLast4: string;
  /** The venue's records are restricted by an erasure (visible only where the caller revealed them). */
  restricted: boolean;
}

/** Submitting, reading and resubmitting venue verifications. Decisions: VerificationDecisionsService. */
@Injectable()
export class VerificationsService {
  private readonly settings: DomainConfig;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly verifications: VerificationRepository,
    private readonly checklist: VerificationChecklist,
    private readonly audit: AuditService,
    private readonly cipher: FieldCipher,
    private readonly clock: Clock,
    private readonly screening: VerificationScreeningHook,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('domain', { infer: true });
  }

  async start(principal: RequestPrincipal, venueId: string, submission: VerificationSubmission): Promise<VerificationView> {
    assertVenueAccess(principal, venueId);
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const id = await this.insertOrConflict(venueId, () => this.insert(tx, principal, venueId, submission));
      await this.verifications.replaceOwners(tx, principal.tenantId, id, submission.beneficialOwners);
      await this.screenParties(tx, principal.tenantId, id);
      const view = await this.refreshedView(tx, principal.tenantId, id);
      await this.audit.record(tx, { action: 'verification.submitted', resourceType: 'verification', resourceId: id, after: auditState(view), ...submittedIdentity(venueId, submission) });
      return view;
    });
  }

  async resubmit(principal: RequestPrincipal, id: string, submission: VerificationSubmission): Promise<VerificationView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.findAccessible(tx, principal, id, true);
      const state = nextState(row.state, 'resubmit');
      const ein = this.sealEin(submission.ein);
      await this.verifications.update(tx, principal.tenantId, id, {
        state,
        legal_name: submission.legalName,
        ein_ciphertext: ein.ciphertext,
        ein_key_id: ein.keyId,
        ein_hash: ein.hash,
        ein_last4: ein.last4,
        business_address: JSON.stringify(submission.businessAddress),
        contact_email: submission.contactEmail,
        expected_annual_volume_cents: submission.expectedAnnualVolumeCents,
        // A new review round: approvals given to the old submission no longer count.
        review_round: row.review_round + 1,
        review_deadline: this.reviewDeadline(),
      });
      await this.verifications.replaceOwners(tx, principal.tenantId, id, submission.beneficialOwners);
      await this.screenParties(tx, principal.tenantId, id);
      const view = await this.refreshedView(tx, principal.tenantId, id);
      await this.audit.record(tx, {
        action: 'verification.resubmitted',
        resourceType: 'verification',
        resourceId: id,
        before: { state: row.state },
        after: auditState(view),
        ...submittedIdentity(row.venue_id, submission),
      });
      return view;
    });
  }

  get(principal: RequestPrincipal, id: string): Promise<VerificationView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => this.view(tx, await this.findAccessible(tx, principal, id)));
  }

  listForVenue(principal: RequestPrincipal, venueId: string): Promise<VerificationView[]> {
    assertVenueAccess(principal, venueId);
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const views: VerificationView[] = [];
      for (const row of await this.verifications.listForVenue(tx, principal.tenantId, venueId)) views.push(await this.view(tx, row));
      return views;
    });
  }

  /**
   * Legal name and sealed EIN per venue, from each venue's latest submission whatever its state:
   * Form 1099-K reports the TIN the payee furnished. The EIN stays sealed; only the 1099-K export
   * (TaxFormsService) opens it. Runs in the caller's transaction.
   */
  async payeesForTaxReporting(tx: TenantTransaction, tenantId: string, venueIds: readonly string[]): Promise<Map<string, TaxPayee>> {
    if (venueIds.length === 0) return new Map();
    const rows = await this.verifications.latestPayees(tx, tenantId, venueIds);
    return new Map(rows.map((row) => [row.venue_id, { legalName: row.legal_name, ein: { ciphertext: row.ein_ciphertext, keyId: row.ein_key_id }, einLast4: row.ein_last4, restricted: row.restricted }]));
  }

  /** The tenant's verifications per state, every state present (the dashboard). */
  async countByState(tx: TenantTransaction, tenantId: string): Promise<Record<VerificationState, number>> {
    return countsByKey(VERIFICATION_STATES, await this.verifications.countByState(tx, tenantId));
  }

  /** Loads a verification the caller may see; anything else is the same 404. */
  async findAccessible(tx: TenantTransaction, principal: RequestPrincipal, id: string, forUpdate = false): Promise<VerificationRow> {
    const row = await this.verifications.find(tx, principal.tenantId, id, forUpdate);
    if (row === undefined || !canAccessVenue(principal, row.venue_id)) throw new ResourceNotFoundError('verification', id);
    return row;
  }

  /**
   * For the sanctions module, after an officer's decision on a hit: stores the status and the payout
   * answer it implies, in the caller's transaction (which records the audit entry).
   */
  async setSanctionsStatus(tx: TenantTransaction, tenantId: string, id: string, status: SanctionsStatus): Promise<void> {
    await this.verifications.update(tx, tenantId, id, { sanctions_status: status });
    await this.checklist.refresh(tx, (await this.verifications.find(tx, tenantId, id)) as VerificationRow);
  }

  /** Screens the business and every owner as just submitted; the checklist refresh that follows reads the status. */
  private async screenParties(tx: TenantTransaction, tenantId: string, id: string): Promise<void> {
    const status = await this.screening.screen(tx, (await this.partiesOf(tx, tenantId, id)) as VerificationParties);
    if (status !== undefined) await this.verifications.update(tx, tenantId, id, { sanctions_status: status });
  }

  /** The parties sanctions screening covers, as last submitted; undefined when not in this tenant. */
  async partiesOf(tx: TenantTransaction, tenantId: string, id: string): Promise<VerificationParties | undefined> {
    const row = await this.verifications.find(tx, tenantId, id);
    if (row === undefined) return undefined;
    const owners = await this.verifications.owners(tx, tenantId, id);
    return {
      tenantId, verificationId: id, venueId: row.venue_id, legalName: row.legal_name,
      owners: owners.map((owner) => ({ id: owner.id, fullName: owner.full_name, dateOfBirth: owner.date_of_birth })),
    };
  }

  /**
   * For ongoing sanctions monitoring: every tenant's verifications whose parties stay screened (per
   * venue the latest settled and the open one), or only those of `onlyTenants`, read across tenants
   * as the tables' owner.
   */
  async monitoredAcrossTenants(onlyTenants?: readonly string[]): Promise<Array<{ tenantId: string; verificationId: string }>> {
    const rows = await this.verifications.monitoredAcrossTenants(this.dataSource.manager, onlyTenants);
    return rows.map((row) => ({ tenantId: row.tenant_id, verificationId: row.id }));
  }

  /** The sanctions status now stored on a verification, for monitoring to report changes. */
  async sanctionsStatusOf(tx: TenantTransaction, tenantId: string, id: string): Promise<SanctionsStatus | undefined> {
    return (await this.verifications.find(tx, tenantId, id))?.sanctions_status;
  }

  /** Whether the tenant has any verification of this venue: how other modules tell a venue it knows. */
  async isKnownVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<boolean> {
    return (await this.verifications.currentForVenue(tx, tenantId, venueId)) !== undefined;
  }

  /**
   * For risk scoring: the facts of the verification that decides the venue's payouts, read under
   * the row locks of all the venue's verifications, so assessments of one venue serialise with each
   * other and with officers' decisions until commit. Undefined when the tenant has no such venue.
   */
  async riskFacts(tx: TenantTransaction, tenantId: string, venueId: string): Promise<VerificationRiskSnapshot | undefined> {
    if ((await this.verifications.lockVenue(tx, tenantId, venueId)).length === 0) return undefined;
    const row = (await this.verifications.currentForVenue(tx, tenantId, venueId)) as VerificationRow;
    return {
      verificationId: row.id,
      state: row.state,
      lapsed: row.state === 'verified' && row.expires_at !== null && row.expires_at <= this.clock.now(),
      sanctionsStatus: row.sanctions_status,
      expectedAnnualVolumeCents: Number(row.expected_annual_volume_cents),
      requirements: await this.checklist.compute(tx, row),
    };
  }

  /**
   * Sets the risk status of the venue's current verification and of its open one (a renewal in
   * progress) to the latest assessment's level, and refreshes their checklists, so the stored
   * payout answer changes in the caller's transaction. Returns the current verification's new
   * payout answer. Call within riskFacts' locks.
   */
  async applyRiskStatus(tx: TenantTransaction, tenantId: string, venueId: string, riskStatus: RiskStatus): Promise<{ verificationId: string; disabledReason: string | null }> {
    const { current, rows } = await this.payoutDeciding(tx, tenantId, venueId);
    let disabledReason: string | null = null;
    for (const row of rows) {
      await this.verifications.update(tx, tenantId, row.id, { risk_status: riskStatus });
      const requirements = await this.checklist.refresh(tx, { ...row, risk_status: riskStatus });
      if (row.id === current.id) disabledReason = requirements.disabled_reason;
    }
    return { verificationId: current.id, disabledReason };
  }

  /**
   * Refreshes the checklists of the venue's current and open verifications after a fact of the
   * venue itself changed (a processor's report), storing their payout answers in the caller's
   * transaction. Call within lockVenue's locks, for a venue that has a verification.
   */
  async refreshVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<void> {
    for (const row of (await this.payoutDeciding(tx, tenantId, venueId)).rows) await this.checklist.refresh(tx, row);
  }

  async refreshedView(tx: TenantTransaction, tenantId: string, id: string): Promise<VerificationView> {
    const row = (await this.verifications.find(tx, tenantId, id)) as VerificationRow;
    await this.checklist.refresh(tx, row);
    return this.view(tx, row);
  }

  async view(tx: TenantTransaction, row: VerificationRow): Promise<VerificationView> {
    const owners = await this.verifications.owners(tx, row.tenant_id, row.id);
    const decisions = await this.verifications.decisions(tx, row.tenant_id, row.id);
    const requirements = await this.checklist.compute(tx, row);
    return toVerificationView(row, owners, decisions, requirements);
  }

  /** The verification that decides the venue's payouts, and the open one (a renewal in progress) beside it. */
  private async payoutDeciding(tx: TenantTransaction, tenantId: string, venueId: string): Promise<{ current: VerificationRow; rows: VerificationRow[] }> {
    const current = (await this.verifications.currentForVenue(tx, tenantId, venueId)) as VerificationRow;
    const rows = (await this.verifications.listForVenue(tx, tenantId, venueId)).filter((row) => row.id === current.id || OPEN_STATES.includes(row.state));
    return { current, rows };
  }

  private async insert(tx: TenantTransaction, principal: RequestPrincipal, venueId: string, submission: VerificationSubmission): Promise<string> {
    const ein = this.sealEin(submission.ein);
    return this.verifications.insert(tx, {
      tenantId: principal.tenantId,
      venueId,
      legalName: submission.legalName,
      einCiphertext: ein.ciphertext,
      einKeyId: ein.keyId,
      einHash: ein.hash,
      einLast4: ein.last4,
      businessAddress: submission.businessAddress,
      contactEmail: submission.contactEmail,
      expectedAnnualVolumeCents: submission.expectedAnnualVolumeCents,
      fourEyesRequired: await this.fourEyesRequired(tx, principal.tenantId, submission.expectedAnnualVolumeCents),
      submittedBy: principal.userId,
      reviewDeadline: this.reviewDeadline(),
    });
  }

  /** The partial unique index is the arbiter of "one open verification per venue" under races. */
  private async insertOrConflict(venueId: string, insert: () => Promise<string>): Promise<string> {
    try {
      return await insert();
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'venue_verifications_one_open_per_venue') {
        throw new VerificationAlreadyOpenError(venueId);
      }
      throw error;
    }
  }

  private async fourEyesRequired(tx: TenantTransaction, tenantId: string, expectedAnnualVolumeCents: number): Promise<boolean> {
    const tenant = await this.verifications.fourEyesSettings(tx, tenantId);
    if (tenant?.enabled === false) return false;
    return expectedAnnualVolumeCents >= (tenant?.minAnnualVolumeCents ?? this.settings.fourEyesMinAnnualVolumeCents);
  }

  private sealEin(ein: string): { ciphertext: Buffer; keyId: string; hash: Buffer; last4: string } {
    return { ...this.cipher.seal(ein), hash: this.cipher.blindIndex(ein), last4: ein.slice(-4) };
  }

  private reviewDeadline(): Date {
    return new Date(this.clock.now().getTime() + this.settings.reviewDeadlineDays * DAY_MS);
  }
}

/** What the audit log keeps of a verification: state and checklist, never the EIN or owners' details. */
/**
 * What a submission said about the venue and its owners, for the audit trail: personal values,
 * kept beside the chain so that an erasure request can destroy them (AuditEntry.personal). The EIN
 * is masked there like everywhere in the audit log.
 */
function submittedIdentity(venueId: string, submission: VerificationSubmission): { subjectId: string; personal: Record<string, unknown> } {
  const { legalName, contactEmail, businessAddress, beneficialOwners } = submission;
  return { subjectId: venueId, personal: { legalName, contactEmail, businessAddress, beneficialOwners } };
}

export function auditState(view: VerificationView): Record<string, unknown> {
  return { state: view.state, disabledReason: view.requirements.disabled_reason, currentlyDue: view.requirements.currently_due };
}
