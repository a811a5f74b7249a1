import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock';
import { TenantTransactions } from '../../../database/tenant-transaction';
import type { JobProgress } from '../../../jobs/job-definition';
import type { AuditActor } from '../../audit/audit-entry';
import { AuditService } from '../../audit/audit.service';
import { VerificationChecklist } from './verification-checklist';
import { nextState } from './verification-state';
import { VerificationRepository } from './verification.repository';

export const VERIFICATION_EXPIRY_ACTOR = 'job:verification-expiry';
/** Rows per batch: each tenant's share of a batch is one short transaction. */
export const EXPIRY_BATCH_SIZE = 200;

export interface ExpiryCounts extends JobProgress {
  expired: number;
  batches: number;
  tenants: number;
}

/**
 * Verified verifications lapse at `expires_at` (VERIFICATION_VALIDITY_DAYS after approval); this
 * moves them to `expired` (the state machine's `expire` event), stores the payout answer again and
 * audits each one, in each tenant's own transaction so row-level security and the tenant's audit
 * chain apply as for any request. Payout eligibility already answers "not eligible" from the
 * moment of expiry (it compares `expires_at` itself); this makes the state say so too.
 */
@Injectable()
export class VerificationExpiryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TenantTransactions,
    private readonly verifications: VerificationRepository,
    private readonly checklist: VerificationChecklist,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async expireLapsedVerifications(report: (counts: ExpiryCounts) => Promise<void>): Promise<ExpiryCounts> {
    const counts: ExpiryCounts = { expired: 0, batches: 0, tenants: 0 };
    const tenantsSeen = new Set<string>();
    for (;;) {
      const due = await this.verifications.lapsedAcrossTenants(this.dataSource.manager, this.clock.now(), EXPIRY_BATCH_SIZE);
      if (due.length === 0) break;
      let expiredInBatch = 0;
      for (const [tenantId, ids] of groupByTenant(due)) {
        expiredInBatch += await this.expireForTenant(tenantId, ids);
        tenantsSeen.add(tenantId);
      }
      counts.expired += expiredInBatch;
      counts.batches += 1;
      counts.tenants = tenantsSeen.size;
      await report({ ...counts });
      // A batch that changed nothing would be selected again: stop rather than spin.
      if (due.length < EXPIRY_BATCH_SIZE || expiredInBatch === 0) break;
    }
    return counts;
  }

  /** Re-checks each row under its lock: an officer's change since the scan wins. */
  private expireForTenant(tenantId: string, ids: string[]): Promise<number> {
    const actor: AuditActor = { tenantId, actor: VERIFICATION_EXPIRY_ACTOR, actorRoles: [], requestId: null };
    return this.transactions.withTenantTransaction({ tenantId }, async (tx) => {
      let expired = 0;
      const now = this.clock.now();
      for (const id of ids) {
        const row = await this.verifications.find(tx, tenantId, id, true);
        if (row === undefined || row.state !== 'verified' || row.expires_at === null || row.expires_at > now) continue;
        const state = nextState(row.state, 'expire');
        await this.verifications.update(tx, tenantId, id, { state });
        const requirements = await this.checklist.refresh(tx, { ...row, state });
        await this.audit.record(
          tx,
          {
            action: 'verification.expired',
            resourceType: 'verification',
            resourceId: id,
            before: { state: row.state },
            after: { state, expiresAt: row.expires_at.toISOString(), disabledReason: requirements.disabled_reason },
          },
          actor,
        );
        expired += 1;
      }
      return expired;
    });
  }
}

function groupByTenant(rows: ReadonlyArray<{ tenant_id: string; id: string }>): Map<string, string[]> {
  const byTenant = new Map<string, string[]>();
  for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
  return byTenant;
}
