import type { SanctionsListEntry } from '../lists/sanctions-list-entry.model';
import { CountryNameResolver } from '../lists/country-name.resolver';
import { DEFAULT_MATCH_THRESHOLDS } from './match-thresholds';
import { NameMatchScorer, type NameScore } from './name-match.scorer';
import type { IndexedName, PreparedQuery, SanctionsNameIndex } from './sanctions-name.index';
import type {
  SanctionsMatch,
  ScoreAdjustment,
  ScreeningOutcome,
  ScreeningQuery,
  ScreeningResult,
} from './sanctions-matching.model';

export interface SanctionsMatcherOptions {
  /** Score at or above which a hit is a MATCH. */
  matchThreshold: number;
  /** Score at or above which a hit is a POTENTIAL_MATCH (an alert a human reviews). */
  potentialMatchThreshold: number;
  /** Hits below this are not returned at all; defaults to potentialMatchThreshold. */
  reportThreshold?: number;
  /** Most matches returned per query. */
  maxMatches: number;
}

export const DEFAULT_MATCHER_OPTIONS: SanctionsMatcherOptions = {
  ...DEFAULT_MATCH_THRESHOLDS,
  maxMatches: 10,
};

// Adjustments after yente's logic-v2 model (country mismatch -0.2, birth year -0.15).
const COUNTRY_MISMATCH = -0.2;
const BIRTH_YEAR_MISMATCH = -0.15;
const BIRTH_DATE_MISMATCH = -0.05;
const BIRTH_DATE_MATCH = 0.05;
const TYPE_MISMATCH = -0.15;

/** A query with its countries resolved, once per query rather than once per candidate. */
interface QueryFacts {
  query: ScreeningQuery;
  countries: string[];
}

/**
 * Screens names against one SanctionsNameIndex: retrieve candidates, score every name of every
 * candidate entry, adjust with the facts the caller gave, keep the best name per entry.
 * Stateless apart from the index; build a new matcher when the list version changes.
 */
export class SanctionsMatcher {
  readonly options: SanctionsMatcherOptions;
  private readonly scorer = new NameMatchScorer();
  private readonly countries = new CountryNameResolver();

  constructor(
    private readonly index: SanctionsNameIndex,
    options: Partial<SanctionsMatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    if (!(this.options.matchThreshold >= this.options.potentialMatchThreshold)) {
      throw new RangeError('matchThreshold must be >= potentialMatchThreshold');
    }
  }

  outcomeFor(score: number): ScreeningOutcome {
    if (score >= this.options.matchThreshold) return 'MATCH';
    if (score >= this.options.potentialMatchThreshold) return 'POTENTIAL_MATCH';
    return 'CLEAR';
  }

  screen(query: ScreeningQuery): ScreeningResult {
    const prepared = this.index.prepare(this.index.normalizer.normalize(query.name));
    const facts = this.factsOf(query);
    const reportThreshold = this.options.reportThreshold ?? this.options.potentialMatchThreshold;
    const bestByEntry = new Map<number, { name: IndexedName; score: number }>();
    for (const id of this.index.candidates(prepared)) {
      const name = this.index.names[id]!;
      const quick = this.finalScore(facts, prepared, name, this.scorer.score(prepared, name, false), false).score;
      const best = bestByEntry.get(name.entryIndex);
      if (!best || quick > best.score) bestByEntry.set(name.entryIndex, { name, score: quick });
    }
    const matches: SanctionsMatch[] = [];
    for (const { name, score } of bestByEntry.values()) {
      if (score < reportThreshold) continue;
      matches.push(this.explain(facts, prepared, name));
    }
    matches.sort((a, b) => b.score - a.score);
    matches.length = Math.min(matches.length, this.options.maxMatches);
    return { query, outcome: matches[0]?.outcome ?? 'CLEAR', matches };
  }

  screenBatch(queries: readonly ScreeningQuery[]): ScreeningResult[] {
    return queries.map((q) => this.screen(q));
  }

  private explain(facts: QueryFacts, prepared: PreparedQuery, name: IndexedName): SanctionsMatch {
    const nameScore = this.scorer.score(prepared, name, true);
    const { score, adjustments } = this.finalScore(facts, prepared, name, nameScore, true);
    return {
      entry: this.index.entries[name.entryIndex]!,
      matchedName: name.name,
      matchedNameKind: name.kind,
      score,
      outcome: this.outcomeFor(score),
      explanation: {
        tokens: nameScore.tokens,
        unmatchedListTokens: nameScore.unmatchedListTokens,
        nameScore: Math.round(nameScore.score * 1000) / 1000,
        adjustments,
      },
    };
  }

  /** `explain` false: the same score, without the adjustments' reasons (retrieval scores ~80 candidates). */
  private finalScore(
    facts: QueryFacts,
    prepared: PreparedQuery,
    name: IndexedName,
    nameScore: NameScore,
    explain: boolean,
  ): { score: number; adjustments: ScoreAdjustment[] } {
    const entry = this.index.entries[name.entryIndex]!;
    const adjustments: ScoreAdjustment[] = [];
    this.factAdjustments(facts, entry, adjustments, explain);
    let score = nameScore.score + adjustments.reduce((sum, a) => sum + a.delta, 0);
    const cap = (limit: number, reason: string): void => {
      if (score > limit) {
        adjustments.push({ reason, delta: round(limit - score) });
        score = limit;
      }
    };
    const { matchThreshold: t1, potentialMatchThreshold: t2 } = this.options;
    // watchman scored "CORP" and "EMMA LLC" 100%: a match needs at least one informative token.
    // Two or more common tokens together (MOHAMMED ALI) may raise an alert, never a MATCH.
    if (nameScore.informativeMatches === 0) {
      if (nameScore.matchedPairs >= 2 && prepared.tokens.length >= 2) cap(t1 - 0.01, 'only common tokens matched');
      else cap(t2 - 0.01, 'only a generic or very common token matched');
    }
    // One token is at most a surname, a given name or a brand ("EMMA LLC" is listed, and so are
    // many Emmas who are not): it raises an alert for a human, never a MATCH on its own.
    if (nameScore.matchedPairs === 1 && (prepared.tokens.length === 1 || name.tokens.length === 1)) {
      cap(t1 - 0.01, 'single-token name');
    }
    // OFAC FAQ 91: weak AKAs are broad or generic and not expected to be screened on their own.
    if (name.kind === 'weak_aka') cap(t1 - 0.01, 'weak alias (OFAC low-quality a.k.a.)');
    return { score: round(Math.min(1, Math.max(0, score))), adjustments };
  }

  /** The query's facts as every candidate is compared with them: countries resolved once per query. */
  private factsOf(query: ScreeningQuery): QueryFacts {
    return { query, countries: (query.countries ?? []).map((c) => this.countries.resolve(c)).filter((c): c is string => !!c) };
  }

  private factAdjustments(facts: QueryFacts, entry: SanctionsListEntry, out: ScoreAdjustment[], explain: boolean): void {
    const { query, countries: queryCountries } = facts;
    if (query.type && query.type !== entry.type) {
      out.push({ reason: explain ? `type mismatch: ${query.type} vs listed ${entry.type}` : '', delta: TYPE_MISMATCH });
    }
    if (queryCountries.length > 0 && entry.countries.length > 0 && !queryCountries.some((c) => entry.countries.includes(c))) {
      out.push({ reason: explain ? `country mismatch: ${queryCountries.join(',')} vs listed ${entry.countries.join(',')}` : '', delta: COUNTRY_MISMATCH });
    }
    const dob = query.dateOfBirth;
    if (dob && entry.datesOfBirth.length > 0) {
      const year = dob.slice(0, 4);
      const sameYear = entry.datesOfBirth.filter((d) => d.slice(0, 4) === year);
      if (sameYear.length === 0) {
        out.push({ reason: explain ? `birth year ${year} not among listed ${entry.datesOfBirth.join(',')}` : '', delta: BIRTH_YEAR_MISMATCH });
      } else if (dob.length === 10 && sameYear.some((d) => d === dob)) {
        out.push({ reason: explain ? `date of birth ${dob} matches` : '', delta: BIRTH_DATE_MATCH });
      } else if (dob.length === 10 && sameYear.every((d) => d.length === 10)) {
        out.push({ reason: explain ? `date of birth ${dob} differs from listed ${sameYear.join(',')}` : '', delta: BIRTH_DATE_MISMATCH });
      }
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
