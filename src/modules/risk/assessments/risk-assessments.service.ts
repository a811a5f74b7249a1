import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../../common/clock';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import { type CursorPosition, pageOf } from '../../../common/pagination';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { OverrideRequest, RiskAssessmentView, VenueRiskQuery, VenueRiskView } from '../dto/risk.dto';
import { RiskFlagRepository } from '../flags/risk-flag.repository';
import { decodeSeqCursor } from '../risk-cursor';
import { OverrideExpiryNotInFutureError } from '../risk.errors';
import { effectiveRiskLevel } from '../scoring/effective-risk-level';
import { observeRiskFactors } from '../scoring/risk-facts';
import { type RiskFactorWeight, type RiskThresholds, scoreRisk } from '../scoring/risk-score';
import { TransactionActivitySignals } from '../scoring/transaction-activity.signals';
import { RiskWeightRepository } from '../weights/risk-weight.repository';
import { RiskAssessmentRepository, type RiskAssessmentRow } from './risk-assessment.repository';
import { toAssessmentView, toOverrideView } from './risk-assessment.view';

/**
 * Scores venues from their facts with the tenant's weights, keeps every assessment, makes the
 * venue's verification follow the latest level (and with it the payout answer), and records
 * officers' time-limited overrides of the level.
 */
@Injectable()
export class RiskAssessmentsService {
  private readonly thresholds: RiskThresholds;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly assessments: RiskAssessmentRepository,
    private readonly weights: RiskWeightRepository,
    private readonly flags: RiskFlagRepository,
    private readonly activity: TransactionActivitySignals,
    private readonly verifications: VerificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.thresholds = config.get('domain', { infer: true }).riskLevelThresholds;
  }

  /** Assessment, risk status, payout answer and audit entry commit together, under the venue's verification locks. */
  assess(principal: RequestPrincipal, venueId: string): Promise<RiskAssessmentView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const now = this.clock.now();
      const verification = await this.verifications.riskFacts(tx, principal.tenantId, venueId);
      if (verification === undefined) throw new ResourceNotFoundError('venue', venueId);
      const weights = await this.weightsOf(tx, principal.tenantId);
      const openFlags = await this.flags.openForVenue(tx, principal.tenantId, venueId);
      const observations = [
        ...observeRiskFactors({ verification, openFlags: openFlags.map((flag) => ({ id: flag.id, severity: flag.severity, category: flag.category })) }, weights),
        ...(await this.activity.observe(tx, principal.tenantId, venueId, { now, expectedAnnualVolumeCents: verification.expectedAnnualVolumeCents, weights })),
      ];
      const result = scoreRisk(observations, weights, this.thresholds);
      const row = await this.assessments.insert(tx, {
        tenantId: principal.tenantId,
        venueId,
        verificationId: verification.verificationId,
        ...result,
        thresholds: this.thresholds,
        assessedBy: principal.userId,
        assessedAt: now,
      });
      const payout = await this.verifications.applyRiskStatus(tx, principal.tenantId, venueId, result.level);
      await this.audit.record(tx, {
        action: 'risk.assessed',
        resourceType: 'risk_assessment',
        resourceId: row.id,
        after: { venueId, score: result.score, level: result.level, factors: result.factors.map((factor) => ({ key: factor.key, points: factor.points })), payoutDisabledReason: payout.disabledReason },
      });
      return toAssessmentView(row);
    });
  }

  venueRisk(principal: RequestPrincipal, venueId: string, query: VenueRiskQuery): Promise<VenueRiskView> {
    const afterSeq = decodeSeqCursor(query.cursor);
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      await this.assertKnownVenue(tx, principal.tenantId, venueId);
      return this.view(tx, principal.tenantId, venueId, afterSeq, query.limit);
    });
  }

  /** The override stands until `expiresAt`, whatever later assessments say; the verification's risk status keeps following assessments. */
  override(principal: RequestPrincipal, venueId: string, request: OverrideRequest): Promise<VenueRiskView> {
    const now = this.clock.now();
    const expiresAt = new Date(request.expiresAt);
    if (expiresAt <= now) throw new OverrideExpiryNotInFutureError(expiresAt);
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      await this.assertKnownVenue(tx, principal.tenantId, venueId);
      const before = await this.assessments.latestOverride(tx, principal.tenantId, venueId);
      const row = await this.assessments.insertOverride(tx, principal.tenantId, venueId, { level: request.level, reason: request.reason, expiresAt, createdBy: principal.userId, createdAt: now });
      const view = await this.view(tx, principal.tenantId, venueId, undefined, 1);
      await this.audit.record(tx, {
        action: 'risk.overridden',
        resourceType: 'risk_override',
        resourceId: row.id,
        before: before === undefined ? null : { level: before.level, expiresAt: before.expires_at },
        after: { venueId, level: row.level, reason: row.reason, expiresAt: row.expires_at, assessedLevel: view.latest?.level ?? 'not_run' },
      });
      return view;
    });
  }

  private async view(tx: TenantTransaction, tenantId: string, venueId: string, afterSeq: string | undefined, limit: number): Promise<VenueRiskView> {
    const now = this.clock.now();
    const latest = await this.assessments.latest(tx, tenantId, venueId);
    const override = await this.assessments.latestOverride(tx, tenantId, venueId);
    const history = await this.assessments.history(tx, tenantId, venueId, afterSeq, limit);
    return {
      venueId,
      effective: effectiveRiskLevel(latest, override === undefined ? undefined : { level: override.level, expiresAt: override.expires_at }, now),
      latest: latest === undefined ? null : toAssessmentView(latest),
      override: override === undefined ? null : toOverrideView(override, now),
      history: pageOf(history, limit, toAssessmentView, (row: RiskAssessmentRow): CursorPosition => ({ key: row.seq, id: row.id })),
    };
  }

  private async weightsOf(tx: TenantTransaction, tenantId: string): Promise<Map<string, RiskFactorWeight>> {
    const rows = await this.weights.effective(tx, tenantId);
    return new Map(rows.map((row) => [row.factor_key, { key: row.factor_key, points: row.points, description: row.description, threshold: row.threshold === null ? null : Number(row.threshold) }]));
  }

  private async assertKnownVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<void> {
    if (!(await this.verifications.isKnownVenue(tx, tenantId, venueId))) throw new ResourceNotFoundError('venue', venueId);
  }
}
