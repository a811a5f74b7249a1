import type { SanctionsEntryType, SanctionsListEntry } from '../lists/sanctions-list-entry.model';

/** What a caller screens: a name, and optionally facts that confirm or refute a hit. */
export interface ScreeningQuery {
  name: string;
  type?: SanctionsEntryType;
  /** ISO 3166-1 alpha-2 (or country names; they are resolved the same way as list countries). */
  countries?: string[];
  /** ISO 8601 partial date: '1962', '1962-05' or '1962-05-04'. */
  dateOfBirth?: string;
}

export type MatchedNameKind = 'primary' | 'aka' | 'fka' | 'nka' | 'weak_aka';

export const SCREENING_OUTCOMES = ['CLEAR', 'POTENTIAL_MATCH', 'MATCH'] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

export interface TokenExplanation {
  /** Query token(s); two tokens joined with a space when they matched one list token ("AL ZAWAHIRI"). */
  query: string;
  /** Matched list token(s), or null when the query token found no counterpart. */
  matched: string | null;
  /** Jaro-Winkler (with phonetic floor and first-letter penalty), 0 when unmatched. */
  similarity: number;
  /** Informativeness of the token over the list (IDF-based, 0..1). */
  weight: number;
}

export interface ScoreAdjustment {
  reason: string;
  delta: number;
}

export interface MatchExplanation {
  tokens: TokenExplanation[];
  /** List-name tokens nothing in the query matched (a dropped middle name, a second surname...). */
  unmatchedListTokens: string[];
  /** Name score before adjustments. */
  nameScore: number;
  adjustments: ScoreAdjustment[];
}

export interface SanctionsMatch {
  entry: SanctionsListEntry;
  matchedName: string;
  matchedNameKind: MatchedNameKind;
  /** 0..1 after adjustments; ranks alerts rather than topping out at 1.0 for everything. */
  score: number;
  outcome: ScreeningOutcome;
  explanation: MatchExplanation;
}

export interface ScreeningResult {
  query: ScreeningQuery;
  /** The outcome of the best match, CLEAR when there is none. */
  outcome: ScreeningOutcome;
  /** Best match per entry, highest score first, only those at or above `reportThreshold`. */
  matches: SanctionsMatch[];
}
