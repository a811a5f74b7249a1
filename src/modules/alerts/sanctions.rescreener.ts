import { Injectable, Logger } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenant-transaction';
import type { AuditActor } from '../audit/audit-entry';
import { AuditService } from '../audit/audit.service';
import { NoSanctionsListError } from '../sanctions/sanctions.errors';
import { ActiveSanctionsLists } from '../sanctions/screening/active-sanctions-lists';
import type { SanctionsSnapshot } from '../sanctions/screening/sanctions-snapshot';
import { ScreeningsService } from '../sanctions/screening/screenings.service';
import type { VerificationParties } from '../venues/verifications/verification-screening.hook';
import { VerificationsService } from '../venues/verifications/verifications.service';
import type { RescreenView } from './dto/alert.dto';

/** Subjects (a business or an owner) screened per transaction: bounded locks and memory on big tenants. */
export const RESCREEN_CHUNK_SUBJECTS = 200;
const MONITOR_ACTOR = 'sanctions-monitor';

interface TenantCounts {
  verifications: number;
  subjects: number;
  alertsOpened: number;
  statusesChanged: number;
}

/**
 * Ongoing monitoring (issue 11; "continuous screening runs when a dataset changes", Marble): when a
 * list version is activated, re-screens the parties of every tenant's current verifications
 * against it, in chunks of tenant transactions. Alerts open only for hits that have none not
 * closed and that no false positive suppresses (an entry whose content changed is a new hit), so
 * running it twice, or on two instances at once, opens each alert once. Independent of HTTP: the
 * job engine calls `rescreenAll` on list activation.
 */
@Injectable()
export class SanctionsRescreener {
  private readonly logger = new Logger('SanctionsMonitor');

  constructor(
    private readonly lists: ActiveSanctionsLists,
    private readonly screenings: ScreeningsService,
    private readonly verifications: VerificationsService,
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
  ) {}

  /** Every tenant, against the active lists (`listVersionKey` names the activation that asked). */
  rescreenAll(listVersionKey?: string, triggeredBy = MONITOR_ACTOR): Promise<RescreenView> {
    return this.rescreen(undefined, listVersionKey, triggeredBy);
  }

  /** One tenant only: what a tenant's admin may start over the API. */
  rescreenTenant(tenantId: string, triggeredBy: string): Promise<RescreenView> {
    return this.rescreen(tenantId, undefined, triggeredBy);
  }

  private async rescreen(onlyTenant: string | undefined, listVersionKey: string | undefined, triggeredBy: string): Promise<RescreenView> {
    const startedAt = performance.now();
    // An activation on another instance may not have reached this one's poll yet.
    if (listVersionKey !== undefined && this.lists.current()?.key !== listVersionKey) await this.lists.refresh();
    const snapshot = this.lists.current();
    if (snapshot === null) throw new NoSanctionsListError();
    if (listVersionKey !== undefined && snapshot.key !== listVersionKey) {
      this.logger.warn(`Asked to re-screen against ${listVersionKey}; the active lists are ${snapshot.key}, re-screening against those`);
    }
    const byTenant = new Map<string, string[]>();
    for (const { tenantId, verificationId } of await this.verifications.monitoredAcrossTenants()) {
      if (onlyTenant !== undefined && tenantId !== onlyTenant) continue;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), verificationId]);
    }
    const total: RescreenView = { listVersion: snapshot.key, tenants: byTenant.size, verifications: 0, subjects: 0, alertsOpened: 0, statusesChanged: 0, durationMs: 0 };
    this.logger.log(`Re-screening ${[...byTenant.values()].flat().length} verifications of ${byTenant.size} tenants against ${snapshot.key}`);
    for (const [tenantId, verificationIds] of byTenant) {
      const counts = await this.rescreenTenantChunks(snapshot, tenantId, verificationIds);
      await this.transactions.withTenantTransaction({ tenantId }, (tx) =>
        this.audit.record(
          tx,
          { action: 'sanctions.list_updated', resourceType: 'sanctions_list', resourceId: null, after: { listVersion: snapshot.key, requestedVersion: listVersionKey ?? null, ...counts } },
          monitorActor(tenantId, triggeredBy),
        ),
      );
      total.verifications += counts.verifications;
      total.subjects += counts.subjects;
      total.alertsOpened += counts.alertsOpened;
      total.statusesChanged += counts.statusesChanged;
    }
    total.durationMs = Math.round(performance.now() - startedAt);
    this.logger.log(`Re-screened ${total.subjects} subjects of ${total.verifications} verifications: ${total.alertsOpened} alerts opened, ${total.statusesChanged} statuses changed in ${total.durationMs} ms`);
    return total;
  }

  /** Each chunk commits on its own: a crash leaves earlier chunks done, and a re-run opens nothing twice. */
  private async rescreenTenantChunks(snapshot: SanctionsSnapshot, tenantId: string, verificationIds: readonly string[]): Promise<TenantCounts> {
    const counts: TenantCounts = { verifications: 0, subjects: 0, alertsOpened: 0, statusesChanged: 0 };
    let next = 0;
    while (next < verificationIds.length) {
      const chunk = await this.transactions.withTenantTransaction({ tenantId }, async (tx) => {
        const done: TenantCounts = { verifications: 0, subjects: 0, alertsOpened: 0, statusesChanged: 0 };
        while (next < verificationIds.length && done.subjects < RESCREEN_CHUNK_SUBJECTS) {
          const verificationId = verificationIds[next++] as string;
          const parties: VerificationParties | undefined = await this.verifications.partiesOf(tx, tenantId, verificationId);
          if (parties === undefined) continue;
          const before = await this.verifications.sanctionsStatusOf(tx, tenantId, verificationId);
          const screened = await this.screenings.screenParties(tx, snapshot, parties, MONITOR_ACTOR);
          if (screened.status !== before) {
            await this.verifications.setSanctionsStatus(tx, tenantId, verificationId, screened.status);
            done.statusesChanged += 1;
          }
          done.verifications += 1;
          done.subjects += 1 + parties.owners.length;
          done.alertsOpened += screened.alertsOpened;
        }
        return done;
      });
      counts.verifications += chunk.verifications;
      counts.subjects += chunk.subjects;
      counts.alertsOpened += chunk.alertsOpened;
      counts.statusesChanged += chunk.statusesChanged;
      this.logger.log(`Tenant ${tenantId}: ${next}/${verificationIds.length} verifications re-screened (${counts.alertsOpened} alerts opened)`);
    }
    return counts;
  }
}

function monitorActor(tenantId: string, actor: string): AuditActor {
  return { tenantId, actor, actorRoles: ['system'], requestId: null };
}
