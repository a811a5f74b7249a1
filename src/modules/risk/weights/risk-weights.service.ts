import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/clock';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import { TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { RiskWeightView } from '../dto/risk.dto';
import { RiskWeightRepository, type RiskWeightRow } from './risk-weight.repository';

/** The factor catalogue as this tenant scores with it; managers may change a factor's points for their tenant. */
@Injectable()
export class RiskWeightsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly weights: RiskWeightRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(principal: RequestPrincipal): Promise<RiskWeightView[]> {
    return this.transactions.withTenantTransaction(principal, async (tx) => (await this.weights.effective(tx, principal.tenantId)).map(toWeightView));
  }

  /** Applies to assessments from now on; earlier assessments keep the points they were scored with. */
  save(principal: RequestPrincipal, factorKey: string, points: number): Promise<RiskWeightView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const before = (await this.weights.effective(tx, principal.tenantId)).find((row) => row.factor_key === factorKey);
      if (before === undefined) throw new ResourceNotFoundError('risk factor', factorKey);
      await this.weights.save(tx, principal.tenantId, factorKey, points, principal.userId, this.clock.now());
      const after = toWeightView({ ...before, points, overridden: true });
      await this.audit.record(tx, { action: 'risk_weight.changed', resourceType: 'risk_factor', resourceId: factorKey, before: { points: before.points }, after: { points } });
      return after;
    });
  }
}

function toWeightView(row: RiskWeightRow): RiskWeightView {
  return {
    key: row.factor_key,
    description: row.description,
    points: row.points,
    defaultPoints: row.default_points,
    overridden: row.overridden,
    threshold: row.threshold === null ? null : Number(row.threshold),
  };
}
