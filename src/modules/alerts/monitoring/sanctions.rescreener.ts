import { Injectable, Logger } from '@nestjs/common';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import type { JobProgress } from '../../../jobs/job-definition';
import type { AuditActor } from '../../audit/audit-entry';
import { AuditService } from '../../audit/audit.service';
import { DomainEventsService } from '../../events/domain-events.service';
import { NoSanctionsListError } from '../../sanctions/sanctions.errors';
import { ActiveSanctionsLists } from '../../sanctions/screening/active-sanctions-lists';
import type { SanctionsSnapshot } from '../../sanctions/screening/sanctions-snapshot';
import { ScreeningsService } from '../../sanctions/screening/screenings.service';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { RescreenView } from '../dto/alert.dto';
import { chunkTenants } from './tenant-chunks';

/** Subjects (a business or an owner) screened per transaction: bounded locks and memory on big tenants. */
const RESCREEN_BATCH_SUBJECTS = 200;
const MONITOR_ACTOR = 'sanctions-monitor';

/** What re-screening one tenant did: what its audit entry and sanctions.list_updated event carry. */
export interface TenantRescreenCounts extends JobProgress {
  /** Re-screened: parties screened again and the screenings stored. */
  verifications: number;
  /** Left out by an activation's re-screen: their latest screenings already ran against its lists. */
  alreadyScreened: number;
  subjects: number;
  alertsOpened: number;
  statusesChanged: number;
}

/** A chunk's progress: the tenants it finished and the sum of their counts. */
export interface ChunkRescreenCounts extends TenantRescreenCounts {
  tenants: number;
}

export interface RescreenPlan {
  listVersionKey: string;
  /** The tenant ids of each chunk job. */
  chunks: string[][];
  tenants: number;
  verifications: number;
}

interface RescreenRun {
  snapshot: SanctionsSnapshot;
  triggeredBy: string;
  /** The activation whose job asked; null for an admin's re-screen of their tenant. */
  requestedVersion: string | null;
  /** An activation's re-screen leaves out what was already screened against its lists (see rescreenChunk). */
  onlyStale: boolean;
}

/**
 * Ongoing monitoring (issue 11; "continuous screening runs when a dataset changes", Marble): when a
 * list version is activated, the `sanctions-rescreen` job plans the re-screening of every tenant's
 * current verifications and `sanctions-rescreen-chunk` jobs, on any instance, do it, a few tenants
 * each. Alerts open only for hits that have none not closed and that no false positive suppresses
 * (an entry whose content changed is a new hit), so a chunk run twice, or on two instances at
 * once, opens each alert once. A tenant's admin can also re-screen their own tenant over the API.
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
    private readonly events: DomainEventsService,
  ) {}

  /** One tenant, every monitored verification, against the active lists: what a tenant's admin may start over the API. */
  async rescreenTenant(tenantId: string, triggeredBy: string): Promise<RescreenView> {
    const startedAt = performance.now();
    const snapshot = this.lists.current();
    if (snapshot === null) throw new NoSanctionsListError();
    const monitored = (await this.verifications.monitoredAcrossTenants([tenantId])).map((row) => row.verificationId);
    const counts = await this.rescreenVerifications({ snapshot, triggeredBy, requestedVersion: null, onlyStale: false }, tenantId, monitored);
    return {
      listVersion: snapshot.key, tenants: monitored.length > 0 ? 1 : 0, verifications: counts.verifications, subjects: counts.subjects,
      alertsOpened: counts.alertsOpened, statusesChanged: counts.statusesChanged, durationMs: Math.round(performance.now() - startedAt),
    };
  }

  /**
   * The chunks an activation's re-screen is shared out in: every tenant with monitored
   * verifications, packed by chunkTenants. Without a key (an operator's run), the lists active now.
   * Undefined when later lists have been activated meanwhile: their own job re-screens everyone.
   */
  async plan(listVersionKey: string | undefined, verificationsPerChunk: number): Promise<RescreenPlan | undefined> {
    const key = listVersionKey ?? (await this.activeListsKey());
    if ((await this.lists.snapshotFor(key)) === undefined) {
      this.logger.log(`Not re-screening against ${key}: later lists are active, and their own re-screen covers every tenant`);
      return undefined;
    }
    const perTenant = new Map<string, number>();
    for (const { tenantId } of await this.verifications.monitoredAcrossTenants()) perTenant.set(tenantId, (perTenant.get(tenantId) ?? 0) + 1);
    const chunks = chunkTenants(perTenant, verificationsPerChunk);
    const verifications = [...perTenant.values()].reduce((sum, count) => sum + count, 0);
    this.logger.log(`Re-screening ${verifications} verifications of ${perTenant.size} tenants against ${key} in ${chunks.length} chunks`);
    return { listVersionKey: key, chunks, tenants: perTenant.size, verifications };
  }

  /**
   * One chunk of an activation's re-screen: each tenant's monitored verifications against the
   * activated lists, except those whose latest screenings already ran against them (submitted
   * since the activation, or re-screened by an earlier attempt of this chunk), so a re-run does
   * only what is left. Undefined when later lists have been activated meanwhile.
   */
  async rescreenChunk(listVersionKey: string, tenantIds: readonly string[], report: (counts: ChunkRescreenCounts) => Promise<void>): Promise<ChunkRescreenCounts | undefined> {
    const snapshot = await this.lists.snapshotFor(listVersionKey);
    if (snapshot === undefined) return undefined;
    const run: RescreenRun = { snapshot, triggeredBy: MONITOR_ACTOR, requestedVersion: listVersionKey, onlyStale: true };
    const monitored = groupByTenant(await this.verifications.monitoredAcrossTenants(tenantIds));
    let done: ChunkRescreenCounts = { tenants: 0, ...noCounts() };
    for (const tenantId of tenantIds) {
      const before = done;
      const counts = await this.rescreenVerifications(run, tenantId, monitored.get(tenantId) ?? [], (sofar) => report(sum(before, sofar)));
      done = { ...sum(before, counts), tenants: before.tenants + 1 };
    }
    await report(done);
    return done;
  }

  /**
   * Re-screens one tenant in transactions of about RESCREEN_BATCH_SUBJECTS subjects: bounded locks
   * and memory on big tenants, and a crash leaves earlier batches done. The last batch also records
   * the tenant's audit entry and its sanctions.list_updated event (deduplicated per tenant and
   * lists), so they commit with the last re-screened verification: a retry that finds nothing left
   * to re-screen finds them recorded. Counts are this attempt's; what an earlier one did shows as
   * `alreadyScreened`.
   */
  private async rescreenVerifications(
    run: RescreenRun,
    tenantId: string,
    monitored: readonly string[],
    onBatch?: (sofar: TenantRescreenCounts) => Promise<void>,
  ): Promise<TenantRescreenCounts> {
    const counts = noCounts();
    const stale = run.onlyStale ? await this.staleOf(run.snapshot, tenantId, monitored) : monitored;
    counts.alreadyScreened = monitored.length - stale.length;
    let next = 0;
    while (next < stale.length) {
      await this.transactions.withTenantTransaction({ tenantId }, async (tx) => {
        for (let subjects = 0; next < stale.length && subjects < RESCREEN_BATCH_SUBJECTS; next += 1) {
          subjects += await this.rescreenVerification(tx, run, tenantId, stale[next] as string, counts);
        }
        if (next === stale.length && counts.verifications > 0) await this.recordRescreened(tx, run, tenantId, counts);
      });
      await onBatch?.({ ...counts });
    }
    if (counts.verifications > 0) {
      this.logger.log(`Tenant ${tenantId}: re-screened ${counts.verifications} verifications against ${run.snapshot.key}: ${counts.alertsOpened} alerts opened, ${counts.statusesChanged} statuses changed`);
    }
    return counts;
  }

  /** Screens one verification's parties again, updating `counts`; answers the subjects it screened. */
  private async rescreenVerification(tx: TenantTransaction, run: RescreenRun, tenantId: string, verificationId: string, counts: TenantRescreenCounts): Promise<number> {
    const parties = await this.verifications.partiesOf(tx, tenantId, verificationId);
    if (parties === undefined) return 0;
    const before = await this.verifications.sanctionsStatusOf(tx, tenantId, verificationId);
    const screened = await this.screenings.screenParties(tx, run.snapshot, parties, MONITOR_ACTOR);
    if (screened.status !== before) {
      await this.verifications.setSanctionsStatus(tx, tenantId, verificationId, screened.status);
      counts.statusesChanged += 1;
    }
    const subjects = 1 + parties.owners.length;
    counts.verifications += 1;
    counts.subjects += subjects;
    counts.alertsOpened += screened.alertsOpened;
    return subjects;
  }

  private async staleOf(snapshot: SanctionsSnapshot, tenantId: string, monitored: readonly string[]): Promise<string[]> {
    const current = await this.transactions.withTenantTransaction({ tenantId }, (tx) => this.screenings.screenedAgainst(tx, tenantId, monitored, snapshot));
    return monitored.filter((verificationId) => !current.has(verificationId));
  }

  private async recordRescreened(tx: TenantTransaction, run: RescreenRun, tenantId: string, counts: TenantRescreenCounts): Promise<void> {
    const listVersion = run.snapshot.key;
    await this.audit.record(
      tx,
      { action: 'sanctions.list_updated', resourceType: 'sanctions_list', resourceId: null, after: { listVersion, requestedVersion: run.requestedVersion, ...counts } },
      monitorActor(tenantId, run.triggeredBy),
    );
    await this.events.record(tx, tenantId, { type: 'sanctions.list_updated', dedupKey: listVersion, payload: { listVersion, ...counts } });
  }

  private async activeListsKey(): Promise<string> {
    await this.lists.refresh();
    const snapshot = this.lists.current();
    if (snapshot === null) throw new NoSanctionsListError();
    return snapshot.key;
  }
}

function noCounts(): TenantRescreenCounts {
  return { verifications: 0, alreadyScreened: 0, subjects: 0, alertsOpened: 0, statusesChanged: 0 };
}

function sum(total: ChunkRescreenCounts, counts: TenantRescreenCounts): ChunkRescreenCounts {
  return {
    tenants: total.tenants,
    verifications: total.verifications + counts.verifications,
    alreadyScreened: total.alreadyScreened + counts.alreadyScreened,
    subjects: total.subjects + counts.subjects,
    alertsOpened: total.alertsOpened + counts.alertsOpened,
    statusesChanged: total.statusesChanged + counts.statusesChanged,
  };
}

function groupByTenant(rows: ReadonlyArray<{ tenantId: string; verificationId: string }>): Map<string, string[]> {
  const byTenant = new Map<string, string[]>();
  for (const { tenantId, verificationId } of rows) {
    const ids = byTenant.get(tenantId);
    if (ids === undefined) byTenant.set(tenantId, [verificationId]);
    else ids.push(verificationId);
  }
  return byTenant;
}

function monitorActor(tenantId: string, actor: string): AuditActor {
  return { tenantId, actor, actorRoles: ['system'], requestId: null };
}
