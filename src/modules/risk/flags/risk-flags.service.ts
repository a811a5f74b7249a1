import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import { type Page, pageOf } from '../../../common/pagination';
import type { RequestPrincipal } from '../../../common/request-principal';
import { TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { FlagCreateRequest, FlagQuery, RiskFlagView } from '../dto/risk-flag.dto';
import { decodeSeqCursor } from '../risk-cursor';
import { RiskFlagAlreadyResolvedError } from '../risk.errors';
import { RiskFlagRepository } from './risk-flag.repository';
import { toRiskFlagView } from './risk-flag.view';

/**
 * Risk flags on venues, raised by officers or services and resolved by officers. Open flags count
 * in the venue's next assessment; raising or resolving one does not reassess by itself.
 */
@Injectable()
export class RiskFlagsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly flags: RiskFlagRepository,
    private readonly verifications: VerificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  raise(principal: RequestPrincipal, request: FlagCreateRequest): Promise<RiskFlagView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      if (!(await this.verifications.isKnownVenue(tx, principal.tenantId, request.venueId))) throw new ResourceNotFoundError('venue', request.venueId);
      const row = await this.flags.insert(tx, principal.tenantId, { ...request, raisedBy: principal.userId, raisedAt: this.clock.now() });
      const view = toRiskFlagView(row);
      await this.audit.record(tx, { action: 'risk_flag.raised', resourceType: 'risk_flag', resourceId: row.id, after: { venueId: view.venueId, severity: view.severity, category: view.category, description: view.description } });
      return view;
    });
  }

  list(principal: RequestPrincipal, query: FlagQuery): Promise<Page<RiskFlagView>> {
    const { limit, cursor, ...filter } = query;
    const beforeSeq = decodeSeqCursor(cursor);
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const rows = await this.flags.list(tx, principal.tenantId, filter, beforeSeq, limit);
      return pageOf(rows, limit, toRiskFlagView, (row) => ({ key: row.seq, id: row.id }));
    });
  }

  resolve(principal: RequestPrincipal, id: string, note: string): Promise<RiskFlagView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.flags.find(tx, principal.tenantId, id, true);
      if (row === undefined) throw new ResourceNotFoundError('risk flag', id);
      if (row.status === 'resolved') throw new RiskFlagAlreadyResolvedError(id);
      const view = toRiskFlagView(await this.flags.resolve(tx, principal.tenantId, id, { resolvedBy: principal.userId, resolvedAt: this.clock.now(), note }));
      await this.audit.record(tx, { action: 'risk_flag.resolved', resourceType: 'risk_flag', resourceId: id, before: { status: row.status }, after: { status: view.status, venueId: view.venueId, note } });
      return view;
    });
  }
}
