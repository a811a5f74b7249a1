import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { countsByKey } from '../../../common/counts-by-key';
import { DomainError } from '../../../common/domain-error';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import type { SanctionsStatus } from '../../venues/verifications/requirements';
import { type VerificationParties, VerificationScreeningHook } from '../../venues/verifications/verification-screening.hook';
import { SCREENING_OUTCOMES, type ScreeningOutcome, type ScreeningQuery } from '../matching/sanctions-matching.model';
import type { BatchScreeningRequest, ScreeningRequest, ScreeningView } from '../dto/screening.dto';
import { NoSanctionsListError, UnknownSanctionsListsError } from '../sanctions.errors';
import { ActiveSanctionsLists } from './active-sanctions-lists';
import { AdhocScreeningStore } from './adhoc-screening.store';
import { HitDispositions } from './hit-dispositions';
import type { SanctionsSnapshot } from './sanctions-snapshot';
import { outcomeOf, type ScreeningHit, screenSnapshot } from './screening-hit';
import { ScreeningAlertHook } from './screening-alert.hook';
import { ScreeningResultCache } from './screening-result.cache';
import { type NewScreening, ScreeningRepository, type ScreeningRow } from './screening.repository';
import { ScreeningSubjects } from './screening-subjects';
import { NO_LIST, SANCTIONS_SCREENINGS, SCREENING_ERROR } from './screening.metrics';

interface Subject {
  subjectKey: string;
  query: ScreeningQuery;
}

/**
 * Screens names against the active lists: ad hoc over the API, and a verification's parties when
 * it is submitted. Matching runs on this instance's in-memory snapshot (one reference per call);
 * PostgreSQL keeps every screening with the versions it ran against, and officers' false-positive
 * decisions are applied per subject before a result is returned or stored.
 */
@Injectable()
export class ScreeningsService implements OnModuleInit {
  constructor(
    private readonly lists: ActiveSanctionsLists,
    private readonly cache: ScreeningResultCache,
    private readonly screenings: ScreeningRepository,
    private readonly transactions: TenantTransactions,
    private readonly adhocStore: AdhocScreeningStore,
    private readonly verificationHook: VerificationScreeningHook,
    private readonly alertHook: ScreeningAlertHook,
    @InjectMetric(SANCTIONS_SCREENINGS) private readonly screened: Counter<'outcome' | 'list'>,
  ) {
    // Present from the start, so the error ratio is 0 rather than absent before the first screening.
    screened.inc({ outcome: 'CLEAR', list: NO_LIST }, 0);
    screened.inc({ outcome: SCREENING_ERROR, list: NO_LIST }, 0);
  }

  onModuleInit(): void {
    this.verificationHook.register((tx, parties) => this.screenVerification(tx, parties));
  }

  async screen(principal: RequestPrincipal, request: ScreeningRequest): Promise<ScreeningView> {
    const [view] = await this.screenAdhoc(principal, [request], request.lists);
    return view as ScreeningView;
  }

  async screenBatch(principal: RequestPrincipal, request: BatchScreeningRequest): Promise<{ items: ScreeningView[] }> {
    return { items: await this.screenAdhoc(principal, request.items, request.lists) };
  }

  get(principal: RequestPrincipal, id: string): Promise<ScreeningView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.screenings.find(tx, principal.tenantId, id);
      if (row === undefined) throw new ResourceNotFoundError('screening', id);
      return toView(row);
    });
  }

  /** The screenings of a verification's latest submission: the business and each owner. */
  listForVerification(principal: RequestPrincipal, verificationId: string): Promise<{ items: ScreeningView[] }> {
    return this.transactions.withTenantTransaction(principal, async (tx) => ({
      items: (await this.screenings.latestForVerification(tx, principal.tenantId, verificationId)).map(toView),
    }));
  }

  /** The hook VerificationsService calls on submission and resubmission (see VerificationScreeningHook). */
  async screenVerification(tx: TenantTransaction, parties: VerificationParties): Promise<SanctionsStatus | undefined> {
    const snapshot = this.lists.current();
    if (snapshot === null) return undefined;
    return (await this.screenParties(tx, snapshot, parties, 'verification-submission')).status;
  }

  /**
   * Screens a verification's parties against `snapshot`, stores the screenings and opens alerts for
   * the hits no false positive suppresses (the alerts' partial unique index keeps one open alert
   * per subject and list entry), all in the caller's transaction. Ongoing monitoring calls this
   * with the snapshot it re-screens every tenant against.
   */
  async screenParties(
    tx: TenantTransaction,
    snapshot: SanctionsSnapshot,
    parties: VerificationParties,
    screenedBy: string,
  ): Promise<{ status: Exclude<SanctionsStatus, 'not_run'>; alertsOpened: number }> {
    const subjects: Subject[] = [
      { subjectKey: ScreeningSubjects.venueBusiness(parties.venueId, parties.legalName), query: { name: parties.legalName, type: 'entity' } },
      ...parties.owners.map((owner) => ({
        subjectKey: ScreeningSubjects.venueOwner(parties.venueId, owner.fullName),
        query: { name: owner.fullName, type: 'individual' as const, dateOfBirth: owner.dateOfBirth },
      })),
    ];
    const { hits, dispositions, rows } = await this.counted(subjects.length, async () => {
      const found = await this.hitsFor(snapshot, subjects, undefined);
      const decisions = new HitDispositions(await this.screenings.dispositionsFor(tx, parties.tenantId, subjects.map((s) => s.subjectKey)), new Date());
      const stored = subjects.map((subject, index) => this.newScreening(snapshot, subject, found[index] as ScreeningHit[], decisions, parties.verificationId));
      await this.screenings.insertMany(tx, parties.tenantId, screenedBy, stored);
      return { hits: found, dispositions: decisions, rows: stored };
    });
    const alertsOpened = await this.alertHook.open(tx, {
      tenantId: parties.tenantId, verificationId: parties.verificationId, venueId: parties.venueId,
      screenings: rows.map((row) => ({ screeningId: row.id, subjectKey: row.subjectKey, hits: row.matches })),
    });
    const status = dispositions.statusOf(subjects.map((subject, index) => ({ subjectKey: subject.subjectKey, hits: hits[index] as ScreeningHit[] })));
    return { status, alertsOpened };
  }

  /** The tenant's screenings since `since`, per result, every result present (the dashboard). */
  async countByResultSince(tx: TenantTransaction, tenantId: string, since: Date): Promise<Record<ScreeningOutcome, number>> {
    return countsByKey(SCREENING_OUTCOMES, await this.screenings.countByResultSince(tx, tenantId, since));
  }

  /** A stored screening in the caller's transaction, for the alerts that point at it. */
  async findInTransaction(tx: TenantTransaction, tenantId: string, id: string): Promise<ScreeningView | undefined> {
    const row = await this.screenings.find(tx, tenantId, id);
    return row === undefined ? undefined : toView(row);
  }

  /** Those of `verificationIds` whose latest screenings ran against `snapshot`: screening them again would find the same hits. */
  async screenedAgainst(tx: TenantTransaction, tenantId: string, verificationIds: readonly string[], snapshot: SanctionsSnapshot): Promise<Set<string>> {
    return new Set(await this.screenings.lastScreenedAgainst(tx, tenantId, verificationIds, listVersionsOf(snapshot)));
  }

  private async screenAdhoc(principal: RequestPrincipal, requests: ReadonlyArray<Omit<ScreeningRequest, 'lists'>>, listNames: readonly string[] | undefined): Promise<ScreeningView[]> {
    return (await this.counted(requests.length, () => this.screenAndStore(principal, requests, listNames))).views;
  }

  private async screenAndStore(
    principal: RequestPrincipal,
    requests: ReadonlyArray<Omit<ScreeningRequest, 'lists'>>,
    listNames: readonly string[] | undefined,
  ): Promise<{ rows: NewScreening[]; views: ScreeningView[] }> {
    // One snapshot for the whole call: a list swap mid-batch cannot mix two versions in one answer.
    const snapshot = this.lists.current();
    if (snapshot === null) throw new NoSanctionsListError();
    const lists = listNames === undefined ? undefined : this.knownLists(snapshot, listNames);
    const subjects: Subject[] = requests.map((request) => ({
      subjectKey: ScreeningSubjects.adhoc(request.name),
      query: { name: request.name, type: request.type, countries: request.country === undefined ? undefined : [request.country], dateOfBirth: request.dateOfBirth },
    }));
    const hits = await this.hitsFor(snapshot, subjects, lists);
    // Only subjects with hits can have decisions to apply: a CLEAR screening skips the read.
    const withHits = subjects.filter((_subject, index) => (hits[index] as ScreeningHit[]).length > 0).map((subject) => subject.subjectKey);
    const dispositions = new HitDispositions(await this.adhocStore.dispositionsFor(principal.tenantId, withHits), new Date());
    const rows = subjects.map((subject, index) => this.newScreening(snapshot, subject, hits[index] as ScreeningHit[], dispositions, null, lists));
    // Answered only once committed: group commit shares the statement, never the durability.
    const screenedAt = (await this.adhocStore.store(principal.tenantId, principal.userId, rows)).toISOString();
    const views = rows.map((row) => ({
      id: row.id, subjectKey: row.subjectKey, verificationId: null, result: row.result, listVersion: snapshot.key, screenedAt, matches: row.matches, suppressed: row.suppressed,
    }));
    return { rows, views };
  }

  /**
   * Counts each screening `work` stored by outcome and list, or all `subjects` as errors when it
   * fails, except for a caller's mistake (an unknown list: a 4xx), which is no failure to screen.
   */
  private async counted<T extends { rows: readonly NewScreening[] }>(subjects: number, work: () => Promise<T>): Promise<T> {
    let done: T;
    try {
      done = await work();
    } catch (error) {
      if (!(error instanceof DomainError && error.status < 500)) this.screened.inc({ outcome: SCREENING_ERROR, list: NO_LIST }, subjects);
      throw error;
    }
    for (const row of done.rows) this.screened.inc({ outcome: row.result, list: row.matches.find((hit) => hit.outcome === row.result)?.list ?? NO_LIST });
    return done;
  }

  /** Matcher results per subject, from the cache where it has them. */
  private async hitsFor(snapshot: SanctionsSnapshot, subjects: readonly Subject[], lists: ReadonlySet<string> | undefined): Promise<ScreeningHit[][]> {
    const keys = subjects.map((subject) => this.cache.keyOf(snapshot.key, subject.query, lists));
    const cached = await this.cache.getMany(keys);
    const fresh: Array<[string, ScreeningHit[]]> = [];
    const hits = subjects.map((subject, index) => {
      const known = cached[index];
      if (known !== undefined) return known;
      const computed = screenSnapshot(snapshot, subject.query, lists);
      fresh.push([keys[index] as string, computed]);
      return computed;
    });
    this.cache.setMany(fresh);
    return hits;
  }

  private newScreening(
    snapshot: SanctionsSnapshot,
    subject: Subject,
    hits: ScreeningHit[],
    dispositions: HitDispositions,
    verificationId: string | null,
    lists?: ReadonlySet<string>,
  ): NewScreening {
    const applied = dispositions.apply(subject.subjectKey, hits);
    return {
      id: randomUUID(),
      subjectKey: subject.subjectKey,
      verificationId,
      query: { ...subject.query, ...(lists === undefined ? {} : { lists: [...lists] }) },
      result: outcomeOf(applied.hits),
      listVersions: listVersionsOf(snapshot),
      matches: applied.hits,
      suppressed: applied.suppressed,
    };
  }

  private knownLists(snapshot: SanctionsSnapshot, names: readonly string[]): ReadonlySet<string> {
    const unknown = names.filter((name) => !snapshot.lists.has(name));
    if (unknown.length > 0) throw new UnknownSanctionsListsError(unknown, [...snapshot.lists]);
    return new Set(names);
  }
}

/** What a screening stores as the lists it ran against. */
function listVersionsOf(snapshot: SanctionsSnapshot): string[] {
  return snapshot.versions.map((version) => version.id);
}

function toView(row: ScreeningRow): ScreeningView {
  return {
    id: row.id, subjectKey: row.subject_key, verificationId: row.verification_id, result: row.result, listVersion: row.list_versions.join(','),
    screenedAt: row.screened_at.toISOString(), matches: row.matches, suppressed: row.suppressed,
  };
}
