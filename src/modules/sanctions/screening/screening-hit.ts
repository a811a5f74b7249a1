import type { SanctionsEntryType } from '../lists/sanctions-list-entry.model';
import type { MatchExplanation, MatchedNameKind, ScreeningOutcome, ScreeningQuery } from '../matching/sanctions-matching.model';
import type { SanctionsSnapshot } from './sanctions-snapshot';

/** One hit as screenings store, cache and return it: plain JSON, no reference into the index. */
export interface ScreeningHit {
  sdnId: string;
  list: string;
  name: string;
  matchedName: string;
  matchedNameKind: MatchedNameKind;
  score: number;
  outcome: ScreeningOutcome;
  programs: string[];
  type: SanctionsEntryType;
  /** The entry's content hash: a false-positive decision holds only while it is unchanged. */
  contentHash: string;
  explanation: MatchExplanation;
}

const MAX_HITS = 10;

/** Best outcome among hits; CLEAR when there are none. */
export function outcomeOf(hits: readonly ScreeningHit[]): ScreeningOutcome {
  if (hits.some((hit) => hit.outcome === 'MATCH')) return 'MATCH';
  return hits.some((hit) => hit.outcome === 'POTENTIAL_MATCH') ? 'POTENTIAL_MATCH' : 'CLEAR';
}

/**
 * Screens one query against every active version (restricted to `lists` when given), from the one
 * snapshot the caller took, and merges the hits, best first.
 */
export function screenSnapshot(snapshot: SanctionsSnapshot, query: ScreeningQuery, lists: ReadonlySet<string> | undefined): ScreeningHit[] {
  const hits: ScreeningHit[] = [];
  for (const version of snapshot.versions) {
    if (lists !== undefined && ![...version.lists].some((list) => lists.has(list))) continue;
    for (const match of version.matcher.screen(query).matches) {
      if (lists !== undefined && !lists.has(match.entry.list)) continue;
      hits.push({
        sdnId: match.entry.sourceId,
        list: match.entry.list,
        name: match.entry.primaryName,
        matchedName: match.matchedName,
        matchedNameKind: match.matchedNameKind,
        score: match.score,
        outcome: match.outcome,
        programs: match.entry.programs,
        type: match.entry.type,
        contentHash: match.entry.contentHash,
        explanation: match.explanation,
      });
    }
  }
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, MAX_HITS);
}
