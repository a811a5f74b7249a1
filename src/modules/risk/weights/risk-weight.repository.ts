import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';

export interface RiskWeightRow {
  factor_key: string;
  points: number;
  default_points: number;
  overridden: boolean;
  threshold: string | null;
  description: string;
}

/** The only code that touches risk_factor_weights (the catalogue) and risk_weight_overrides. */
@Injectable()
export class RiskWeightRepository {
  /** The catalogue with this tenant's overrides applied. */
  effective(tx: TenantTransaction, tenantId: string): Promise<RiskWeightRow[]> {
    return tx.query(
      `SELECT w.factor_key, COALESCE(o.points, w.points) AS points, w.points AS default_points, o.points IS NOT NULL AS overridden, w.threshold, w.description
       FROM risk_factor_weights w LEFT JOIN risk_weight_overrides o ON o.factor_key = w.factor_key AND o.tenant_id = $1
       ORDER BY w.factor_key`,
      [tenantId],
    );
  }

  async save(tx: TenantTransaction, tenantId: string, factorKey: string, points: number, updatedBy: string, updatedAt: Date): Promise<void> {
    await tx.query(
      `INSERT INTO risk_weight_overrides (tenant_id, factor_key, points, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, factor_key) DO UPDATE SET points = EXCLUDED.points, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [tenantId, factorKey, points, updatedBy, updatedAt],
    );
  }
}
