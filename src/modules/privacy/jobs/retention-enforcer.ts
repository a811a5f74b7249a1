import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import type { AppConfig, PrivacyConfig } from '../../../config/app-config';
import { changedRowCount } from '../../../database/changed-row-count';
import { APPLICATION_ROLE } from '../../../database/tenant-transaction';
import type { JobProgress } from '../../../jobs/job-definition';
import { AuditService } from '../../audit/audit.service';
import { RETENTION_RULES } from '../retention-rules';
import { RETENTION_SWEEPS } from './retention-sweeps';

export const RETENTION_ACTOR = 'job:retention-enforcement';

export type RetentionCounts = JobProgress;

/**
 * Deletes what is past its retention period, per tenant: restricted records (RETENTION_SWEEPS) and
 * access exports older than PRIVACY_EXPORT_KEEP_DAYS. Records of active venues are not touched:
 * their periods run from the end of the relationship, which this service does not decide. The
 * deletes run as the tables' owner (the application role may not delete OFAC and IRS records at
 * all), then the same transaction switches to the application role to append the tenant's audit
 * entry with the counts, so the deletion and its record commit together.
 */
@Injectable()
export class RetentionEnforcer {
  private readonly logger = new Logger(RetentionEnforcer.name);
  private readonly privacy: PrivacyConfig;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.privacy = config.get('privacy', { infer: true });
  }

  async enforce(report: (counts: RetentionCounts) => Promise<void>): Promise<RetentionCounts> {
    const now = this.clock.now();
    const totals: RetentionCounts = { tenants: 0 };
    const tenants: Array<{ tenant_id: string }> = await this.dataSource.query(
      "SELECT tenant_id FROM privacy_requests WHERE type = 'erasure' AND state = 'completed' UNION SELECT tenant_id FROM privacy_exports",
    );
    for (const { tenant_id: tenantId } of tenants) {
      const counts = await this.dataSource.transaction((tx) => this.enforceForTenant(tx, tenantId, now));
      for (const [table, deleted] of Object.entries(counts)) totals[table] = (totals[table] ?? 0) + deleted;
      totals.tenants = (totals.tenants ?? 0) + 1;
      await report({ ...totals });
    }
    this.logger.log({ ...totals }, 'Retention enforced');
    return totals;
  }

  private async enforceForTenant(tx: EntityManager, tenantId: string, now: Date): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const sweep of RETENTION_SWEEPS) {
      const deleted = await changedRowCount(tx, sweep.sql, [tenantId, now, RETENTION_RULES[sweep.rule].years(this.privacy.retention)]);
      if (deleted > 0) counts[sweep.table] = deleted;
    }
    const exports = await changedRowCount(tx, 'DELETE FROM privacy_exports WHERE tenant_id = $1 AND created_at < $2::timestamptz - make_interval(days => $3)', [tenantId, now, this.privacy.exportKeepDays]);
    if (exports > 0) counts.privacy_exports = exports;
    if (Object.keys(counts).length > 0) {
      await tx.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [APPLICATION_ROLE, tenantId]);
      const rules = Object.fromEntries(RETENTION_SWEEPS.map((sweep) => [sweep.table, RETENTION_RULES[sweep.rule].source]));
      await this.audit.record(tx, { action: 'privacy.retention_enforced', resourceType: 'tenant', resourceId: tenantId, after: { deleted: counts, rules } }, { tenantId, actor: RETENTION_ACTOR, actorRoles: [], requestId: null });
    }
    return counts;
  }
}
