import type { SanctionsStatus } from '../../venues/verifications/requirements';
import type { ScreeningHit } from './screening-hit';

export type Disposition = 'confirmed_match' | 'false_positive';

export interface DispositionRow {
  subject_key: string;
  list_name: string;
  source_id: string;
  content_hash: string;
  disposition: Disposition;
  review_at: Date;
}

/**
 * Officers' decisions on hits for a set of subjects, newest first; the latest decision on a
 * subject and list entry is the one in force. A false positive suppresses the hit only while the
 * entry's content hash is the one the officer saw and its review date has not passed (OFAC expects
 * screening to be re-evaluated when the list entry changes).
 */
export class HitDispositions {
  private readonly latest = new Map<string, DispositionRow>();

  constructor(rows: readonly DispositionRow[], private readonly now: Date) {
    for (const row of rows) {
      const key = HitDispositions.key(row.subject_key, row.list_name, row.source_id);
      if (!this.latest.has(key)) this.latest.set(key, row);
    }
  }

  suppresses(subjectKey: string, hit: ScreeningHit): boolean {
    const row = this.latest.get(HitDispositions.key(subjectKey, hit.list, hit.sdnId));
    return row?.disposition === 'false_positive' && row.content_hash === hit.contentHash && row.review_at > this.now;
  }

  confirmed(subjectKey: string, hit: ScreeningHit): boolean {
    return this.latest.get(HitDispositions.key(subjectKey, hit.list, hit.sdnId))?.disposition === 'confirmed_match';
  }

  /** Splits a screening's hits into those still to report and those a false positive suppresses. */
  apply(subjectKey: string, hits: readonly ScreeningHit[]): { hits: ScreeningHit[]; suppressed: ScreeningHit[] } {
    const kept: ScreeningHit[] = [];
    const suppressed: ScreeningHit[] = [];
    for (const hit of hits) (this.suppresses(subjectKey, hit) ? suppressed : kept).push(hit);
    return { hits: kept, suppressed };
  }

  /**
   * A verification's sanctions status from the screenings of its parties: a MATCH or a confirmed hit
   * is `match` (payouts blocked as `listed`), an undecided POTENTIAL_MATCH waits for an officer.
   */
  statusOf(screenings: ReadonlyArray<{ subjectKey: string; hits: readonly ScreeningHit[] }>): Exclude<SanctionsStatus, 'not_run'> {
    let status: Exclude<SanctionsStatus, 'not_run'> = 'clear';
    for (const { subjectKey, hits } of screenings) {
      for (const hit of hits) {
        if (this.suppresses(subjectKey, hit)) continue;
        if (this.confirmed(subjectKey, hit) || hit.outcome === 'MATCH') return 'match';
        if (hit.outcome === 'POTENTIAL_MATCH') status = 'potential_match';
      }
    }
    return status;
  }

  private static key(subjectKey: string, list: string, sourceId: string): string {
    return `${subjectKey}\u0000${list}\u0000${sourceId}`;
  }
}
