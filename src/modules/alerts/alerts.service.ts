import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../../common/clock';
import { countsByKey } from '../../common/counts-by-key';
import { ResourceNotFoundError } from '../../common/not-found.error';
import { type CursorPosition, decodeCursor, type Page, pageOf } from '../../common/pagination';
import type { RequestPrincipal } from '../../common/request-principal';
import type { AppConfig } from '../../config/app-config';
import { type TenantTransaction, TenantTransactions } from '../../database/tenant-transaction';
import { AuditService } from '../audit/audit.service';
import type { DomainEvent } from '../events/domain-event';
import { DomainEventsService } from '../events/domain-events.service';
import { type ScreenedVerification, ScreeningAlertHook } from '../sanctions/screening/screening-alert.hook';
import { ScreeningDispositionsService } from '../sanctions/screening/screening-dispositions.service';
import { ScreeningsService } from '../sanctions/screening/screenings.service';
import { type AlertAction, nextAlertStatus } from './alert-state';
import { ALERT_SEVERITIES, type AlertEventRow, type AlertFilter, AlertRepository, type AlertRow, type AlertSeverity, type NewAlert } from './alert.repository';
import type { AlertDetail, AlertView, AssignRequest, CloseRequest, CommentRequest } from './dto/alert.dto';

const DAY_MS = 86_400_000;
/** Who opens alerts: screening of a submission, or ongoing monitoring; never a person. */
export const ALERT_OPENER = 'sanctions-screening';

/**
 * Screening alerts (issue 11): one case per unsuppressed hit of a monitored subject, opened in the
 * screening's transaction, then worked open → investigating → closed by officers. Closing decides
 * the hit through the sanctions module's dispositions, so a false positive is suppressed on later
 * screenings and a confirmed match blocks payouts; every change is audited in its transaction.
 */
@Injectable()
export class AlertsService implements OnModuleInit {
  private readonly dueDays: number;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly alerts: AlertRepository,
    private readonly screenings: ScreeningsService,
    private readonly dispositions: ScreeningDispositionsService,
    private readonly alertHook: ScreeningAlertHook,
    private readonly audit: AuditService,
    private readonly events: DomainEventsService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.dueDays = config.get('sanctions', { infer: true }).alertDueDays;
  }

  onModuleInit(): void {
    this.alertHook.register((tx, screened) => this.openForScreenings(tx, screened));
  }

  /**
   * Opens an alert per hit not already alerted and records a `screening.match_opened` event for
   * each new one; answers how many are new. The caller's transaction audits.
   */
  async openForScreenings(tx: TenantTransaction, screened: ScreenedVerification): Promise<number> {
    const alerts: NewAlert[] = screened.screenings.flatMap((screening) =>
      screening.hits
        .filter((hit) => hit.outcome !== 'CLEAR')
        .map((hit) => ({
          screeningId: screening.screeningId, subjectKey: screening.subjectKey, listName: hit.list, sourceId: hit.sdnId, matchedName: hit.matchedName,
          score: hit.score, contentHash: hit.contentHash, severity: hit.outcome === 'MATCH' ? ('high' as const) : ('medium' as const),
        })),
    );
    const dueAt = new Date(this.clock.now().getTime() + this.dueDays * DAY_MS);
    const opened = await this.alerts.openMany(tx, screened.tenantId, screened.verificationId, screened.venueId, dueAt, ALERT_OPENER, alerts);
    for (const alert of opened) await this.events.record(tx, screened.tenantId, matchOpenedEvent(alert));
    return opened.length;
  }

  async list(principal: RequestPrincipal, filter: AlertFilter, cursor: string | undefined, limit: number): Promise<Page<AlertView>> {
    const after = decodeCursor(cursor);
    const now = this.clock.now();
    const rows = await this.transactions.withTenantTransaction(principal, (tx) => this.alerts.list(tx, principal.tenantId, filter, now, after, limit));
    return pageOf(rows, limit, (row) => toView(row, now), (row): CursorPosition => ({ key: row.due_at.toISOString(), id: row.id }));
  }

  /** The tenant's alerts not closed, per severity, every severity present (the dashboard). */
  async countOpenBySeverity(tx: TenantTransaction, tenantId: string): Promise<Record<AlertSeverity, number>> {
    return countsByKey(ALERT_SEVERITIES, await this.alerts.countOpenBySeverity(tx, tenantId));
  }

  get(principal: RequestPrincipal, id: string): Promise<AlertDetail> {
    return this.transactions.withTenantTransaction(principal, async (tx) => this.detail(tx, await this.find(tx, principal, id, false)));
  }

  assign(principal: RequestPrincipal, id: string, request: AssignRequest): Promise<AlertDetail> {
    return this.change(principal, id, 'assign', async (tx, alert) => {
      const updated = await this.alerts.update(tx, principal.tenantId, id, { assignee: request.assignee });
      await this.alerts.addEvent(tx, principal.tenantId, id, 'assigned', principal.userId, null, { from: alert.assignee, to: request.assignee });
      return { updated, action: 'alert.assigned', before: { assignee: alert.assignee }, after: { assignee: request.assignee } };
    });
  }

  investigate(principal: RequestPrincipal, id: string): Promise<AlertDetail> {
    return this.change(principal, id, 'investigate', async (tx, alert, status) => {
      const updated = await this.alerts.update(tx, principal.tenantId, id, { status });
      await this.alerts.addEvent(tx, principal.tenantId, id, 'status_changed', principal.userId, null, { from: alert.status, to: status });
      return { updated, action: 'alert.investigating', before: { status: alert.status }, after: { status } };
    });
  }

  close(principal: RequestPrincipal, id: string, request: CloseRequest): Promise<AlertDetail> {
    return this.change(principal, id, 'close', async (tx, alert, status) => {
      // The decision on the hit is the sanctions module's: suppression later, sanctions_status now.
      const decided = await this.dispositions.decide(tx, principal, alert.screening_id, alert.source_id, {
        decision: request.outcome, reason: request.reason, list: alert.list_name, reviewAfterDays: request.reviewAfterDays,
      });
      const updated = await this.alerts.update(tx, principal.tenantId, id, { status, outcome: request.outcome, closed_at: this.clock.now() });
      await this.alerts.addEvent(tx, principal.tenantId, id, 'closed', principal.userId, request.reason, {
        from: alert.status, outcome: request.outcome, dispositionId: decided.view.id, verificationSanctionsStatus: decided.view.verificationSanctionsStatus,
      });
      return {
        updated,
        action: 'alert.closed',
        before: { status: alert.status },
        after: {
          status, outcome: request.outcome, reason: request.reason, dispositionId: decided.view.id, reviewAt: decided.view.reviewAt,
          verificationId: alert.verification_id, verificationSanctionsStatus: decided.view.verificationSanctionsStatus,
        },
      };
    });
  }

  /** Comments do not change the status: a closed alert can still be annotated. */
  comment(principal: RequestPrincipal, id: string, request: CommentRequest): Promise<AlertDetail> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const alert = await this.find(tx, principal, id, true);
      await this.alerts.addEvent(tx, principal.tenantId, id, 'commented', principal.userId, request.text, {});
      const detail = await this.detail(tx, alert);
      await this.audit.record(tx, { action: 'alert.commented', resourceType: 'screening_alert', resourceId: id, after: { text: request.text } });
      return detail;
    });
  }

  private change(
    principal: RequestPrincipal,
    id: string,
    action: AlertAction,
    apply: (tx: TenantTransaction, alert: AlertRow, status: AlertRow['status']) => Promise<{ updated: AlertRow; action: string; before: object; after: object }>,
  ): Promise<AlertDetail> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const alert = await this.find(tx, principal, id, true);
      const result = await apply(tx, alert, nextAlertStatus(alert.status, action));
      const detail = await this.detail(tx, result.updated);
      await this.audit.record(tx, { action: result.action, resourceType: 'screening_alert', resourceId: id, before: result.before, after: result.after });
      return detail;
    });
  }

  private async find(tx: TenantTransaction, principal: RequestPrincipal, id: string, forUpdate: boolean): Promise<AlertRow> {
    const alert = await this.alerts.find(tx, principal.tenantId, id, forUpdate);
    if (alert === undefined) throw new ResourceNotFoundError('alert', id);
    return alert;
  }

  private async detail(tx: TenantTransaction, alert: AlertRow): Promise<AlertDetail> {
    const screening = await this.screenings.findInTransaction(tx, alert.tenant_id, alert.screening_id);
    const hit = [...(screening?.matches ?? []), ...(screening?.suppressed ?? [])].find((candidate) => candidate.sdnId === alert.source_id && candidate.list === alert.list_name);
    const timeline = await this.alerts.events(tx, alert.tenant_id, alert.id);
    return { ...toView(alert, this.clock.now()), hit: hit ?? null, timeline: timeline.map(toEventView) };
  }
}

/**
 * Keyed by venue, so subscribers receive it in order with the venue's verification events. The
 * screened person's name stays out (subject_key carries it); the list entry's name is public list
 * data. Subscribers fetch the alert for the rest.
 */
function matchOpenedEvent(alert: AlertRow): DomainEvent {
  return {
    type: 'screening.match_opened',
    resourceKey: `venue:${alert.venue_id}`,
    payload: {
      alertId: alert.id, venueId: alert.venue_id, verificationId: alert.verification_id, list: alert.list_name, sdnId: alert.source_id,
      matchedName: alert.matched_name, score: alert.score, severity: alert.severity,
    },
  };
}

function toView(row: AlertRow, now: Date): AlertView {
  return {
    id: row.id, screeningId: row.screening_id, subjectKey: row.subject_key, verificationId: row.verification_id, venueId: row.venue_id,
    list: row.list_name, sdnId: row.source_id, matchedName: row.matched_name, score: row.score, contentHash: row.content_hash,
    severity: row.severity, status: row.status, outcome: row.outcome, assignee: row.assignee, dueAt: row.due_at.toISOString(),
    overdue: row.status !== 'closed' && row.due_at < now, openedAt: row.opened_at.toISOString(), closedAt: row.closed_at?.toISOString() ?? null,
  };
}

function toEventView(row: AlertEventRow) {
  return { id: row.id, kind: row.kind, actor: row.actor, text: row.text, data: row.data, occurredAt: row.occurred_at.toISOString() };
}
