import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ResourceNotFoundError } from '../../common/not-found.error';
import { type CursorPosition, decodeCursor, type Page, pageOf } from '../../common/pagination';
import type { RequestPrincipal } from '../../common/request-principal';
import { revealRestricted, type TenantTransaction, TenantTransactions } from '../../database/tenant-transaction';
import { AuditService } from '../audit/audit.service';
import type { CreatePrivacyRequest, ExtendRequest, PrivacyRequestListQuery, PrivacyRequestView, RefuseRequest, SubjectDocument } from './dto/privacy.dto';
import { type ExportLink, ExportLinkSigner } from './export-link.signer';
import { ExportLinkRejectedError, ExportNotReadyError, PrivacyRequestTransitionError } from './privacy.errors';
import { addCalendarMonths, dueDate, nextState, type PrivacyRequestAction, refusalOf } from './privacy-request-rules';
import { PrivacyRequestRepository, type PrivacyRequestRow } from './privacy-request.repository';
import { SubjectRecords } from './subject-records';

/** Who downloads through a signed link: whoever holds it, within its lifetime. */
export const EXPORT_LINK_ACTOR = 'privacy-export-link';

/**
 * Data-subject requests (issue 12): received → in_progress → completed | refused, due one month
 * after receipt (extendable once). Completing an access request stores the subject's document for
 * download through a signed link; completing an erasure deletes, anonymises and restricts along
 * the subject data map and shreds the subject's audit values, in one transaction with the request's
 * own change and audit entry, so an erasure is whole or not at all.
 */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly requests: PrivacyRequestRepository,
    private readonly records: SubjectRecords,
    private readonly links: ExportLinkSigner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  create(principal: RequestPrincipal, body: CreatePrivacyRequest): Promise<PrivacyRequestView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const receivedAt = this.clock.now();
      const row = await this.requests.insert(tx, { tenantId: principal.tenantId, subjectId: body.subjectId, type: body.type, reason: body.reason, requestedBy: principal.userId, receivedAt, dueAt: dueDate(receivedAt) });
      await this.audit.record(tx, {
        action: 'privacy.request_received',
        resourceType: 'privacy_request',
        resourceId: row.id,
        after: { type: row.type, dueAt: row.due_at.toISOString() },
        subjectId: row.subject_id,
        personal: { reason: row.reason },
      });
      return this.toView(row);
    });
  }

  async list(principal: RequestPrincipal, query: PrivacyRequestListQuery): Promise<Page<PrivacyRequestView>> {
    const { cursor, limit, ...filter } = query;
    const rows = await this.transactions.withTenantTransaction(principal, (tx) => this.requests.list(tx, principal.tenantId, filter, this.clock.now(), decodeCursor(cursor), limit));
    return pageOf(rows, limit, (row) => this.toView(row), (row): CursorPosition => ({ key: row.due_at.toISOString(), id: row.id }));
  }

  get(principal: RequestPrincipal, id: string): Promise<PrivacyRequestView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => this.toView(await this.find(tx, principal, id)));
  }

  start(principal: RequestPrincipal, id: string): Promise<PrivacyRequestView> {
    return this.change(principal, id, 'start', async (tx, row) => this.requests.update(tx, principal.tenantId, row.id, { state: nextState('start'), handled_by: principal.userId }));
  }

  extend(principal: RequestPrincipal, id: string, body: ExtendRequest): Promise<PrivacyRequestView> {
    return this.change(principal, id, 'extend', async (tx, row) =>
      this.requests.update(tx, principal.tenantId, row.id, {
        due_at: addCalendarMonths(dueDate(row.received_at), body.months),
        extended_at: this.clock.now(),
        extension_reason: body.reason,
      }),
    );
  }

  refuse(principal: RequestPrincipal, id: string, body: RefuseRequest): Promise<PrivacyRequestView> {
    return this.change(principal, id, 'refuse', async (tx, row) =>
      this.requests.update(tx, principal.tenantId, row.id, { state: nextState('refuse'), refusal_reason: body.reason, handled_by: principal.userId, completed_at: this.clock.now() }),
    );
  }

  complete(principal: RequestPrincipal, id: string): Promise<PrivacyRequestView> {
    return this.change(principal, id, 'complete', async (tx, row) => {
      await revealRestricted(tx);
      const outcome = row.type === 'access' ? await this.storeExport(tx, row) : await this.erase(tx, row);
      return this.requests.update(tx, principal.tenantId, row.id, { state: nextState('complete'), handled_by: principal.userId, completed_at: this.clock.now(), outcome });
    });
  }

  exportLink(principal: RequestPrincipal, id: string): Promise<ExportLink> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.find(tx, principal, id);
      if (row.type !== 'access' || row.state !== 'completed' || (await this.requests.exportOf(tx, principal.tenantId, id)) === undefined) throw new ExportNotReadyError(id);
      await this.audit.record(tx, { action: 'privacy.export_link_issued', resourceType: 'privacy_request', resourceId: id, subjectId: row.subject_id });
      return this.links.sign(principal.tenantId, id, this.clock.now());
    });
  }

  /** The signed link is the credential: no principal, so the tenant comes from the verified link. */
  download(tenantId: string, id: string, expires: number, signature: string, requestId: string): Promise<unknown> {
    const problem = this.links.problemWith(tenantId, id, expires, signature, this.clock.now());
    if (problem !== undefined) throw new ExportLinkRejectedError(problem);
    return this.transactions.withTenantTransaction({ tenantId }, async (tx) => {
      const document = await this.requests.exportOf(tx, tenantId, id);
      if (document === undefined) throw new ExportNotReadyError(id);
      await this.audit.record(tx, { action: 'privacy.export_downloaded', resourceType: 'privacy_request', resourceId: id }, { tenantId, actor: EXPORT_LINK_ACTOR, actorRoles: [], requestId });
      return document;
    });
  }

  /** Reading an erased subject's restricted records: a compliance manager, with a reason, audited. */
  restrictedRecords(principal: RequestPrincipal, subjectId: string, reason: string): Promise<SubjectDocument> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      await revealRestricted(tx);
      const document = await this.records.document(tx, principal.tenantId, subjectId, this.clock.now());
      await this.audit.record(tx, { action: 'privacy.restricted_records_read', resourceType: 'privacy_subject', resourceId: subjectId, after: { reason }, subjectId });
      return document;
    });
  }

  /** Open requests past their due date, in the caller's tenant transaction (the dashboard). */
  countOverdue(tx: TenantTransaction, tenantId: string, now: Date): Promise<number> {
    return this.requests.countOverdue(tx, tenantId, now);
  }

  private async storeExport(tx: TenantTransaction, row: PrivacyRequestRow): Promise<Record<string, unknown>> {
    const document = await this.records.document(tx, row.tenant_id, row.subject_id, this.clock.now());
    await this.requests.storeExport(tx, row.tenant_id, row.id, row.subject_id, document);
    const exported = Object.fromEntries(Object.entries(document.records).map(([name, items]) => [name, items.length]));
    return { exported: { ...exported, auditEntries: document.auditEntries.length } };
  }

  private async erase(tx: TenantTransaction, row: PrivacyRequestRow): Promise<Record<string, unknown>> {
    const erased = await this.records.erase(tx, row.tenant_id, row.subject_id);
    const exportsDeleted = await this.requests.deleteExportsOfSubject(tx, row.tenant_id, row.subject_id);
    return { ...erased, exportsDeleted };
  }

  /** Locks the request, checks the action against Art. 12's rules, applies it and audits it. */
  private change(principal: RequestPrincipal, id: string, action: PrivacyRequestAction, apply: (tx: TenantTransaction, row: PrivacyRequestRow) => Promise<PrivacyRequestRow>): Promise<PrivacyRequestView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.find(tx, principal, id, true);
      const refusal = refusalOf({ state: row.state, receivedAt: row.received_at, extendedAt: row.extended_at }, action, this.clock.now());
      if (refusal !== undefined) throw new PrivacyRequestTransitionError(action, refusal);
      const updated = await apply(tx, row);
      await this.audit.record(tx, {
        action: `privacy.request_${action === 'extend' ? 'extended' : updated.state}`,
        resourceType: 'privacy_request',
        resourceId: id,
        before: { state: row.state, dueAt: row.due_at.toISOString() },
        after: { state: updated.state, dueAt: updated.due_at.toISOString(), outcome: updated.outcome },
        subjectId: row.subject_id,
        ...(action === 'extend' || action === 'refuse' ? { personal: { reason: updated.extension_reason ?? updated.refusal_reason } } : {}),
      });
      return this.toView(updated);
    });
  }

  private async find(tx: TenantTransaction, principal: RequestPrincipal, id: string, forUpdate = false): Promise<PrivacyRequestRow> {
    const row = await this.requests.find(tx, principal.tenantId, id, forUpdate);
    if (row === undefined) throw new ResourceNotFoundError('privacy request', id);
    return row;
  }

  private toView(row: PrivacyRequestRow): PrivacyRequestView {
    const open = row.state === 'received' || row.state === 'in_progress';
    return {
      id: row.id,
      subjectId: row.subject_id,
      type: row.type,
      reason: row.reason,
      state: row.state,
      requestedBy: row.requested_by,
      receivedAt: row.received_at.toISOString(),
      dueAt: row.due_at.toISOString(),
      overdue: open && row.due_at.getTime() < this.clock.now().getTime(),
      extension: row.extended_at === null ? null : { extendedAt: row.extended_at.toISOString(), reason: row.extension_reason ?? '' },
      refusalReason: row.refusal_reason,
      handledBy: row.handled_by,
      completedAt: row.completed_at?.toISOString() ?? null,
      outcome: row.outcome,
    };
  }
}
