import { JaroWinkler } from './jaro-winkler.similarity';
import type { IndexedName, PreparedQuery } from './sanctions-name.index';
import type { TokenExplanation } from './sanctions-matching.model';

export interface NameScore {
  /** 0..1 before entry-level adjustments. */
  score: number;
  tokens: TokenExplanation[];
  unmatchedListTokens: string[];
  /** Matched pairs whose list token is informative (not generic, not very common). */
  informativeMatches: number;
  /** All matched pairs, informative or not. */
  matchedPairs: number;
}

/** Below this a token pair is no match at all: random name tokens reach 0.6–0.75 Jaro-Winkler. */
const TOKEN_FLOOR = 0.8;
/** Phonetic twins (MOHAMMED / MUHAMMAD: JW 0.85) score at least this. */
const PHONETIC_FLOOR = 0.9;
/** watchman's first-sound penalty: a token that starts with another letter is rarely the same name. */
const FIRST_LETTER_PENALTY = 0.9;
/** Joined neighbours (ALZAWAHIRI / AL ZAWAHIRI) pair only this close. */
const JOINED_FLOOR = 0.9;
/**
 * How far below a floor a bound must be to skip the measure: bound and measure are computed along
 * different paths, and a last-bit rounding must never change a score.
 */
const BOUND_MARGIN = 1e-9;
/**
 * Share of the score from "how much of the query is explained" vs "how much of the listed name is
 * explained". Query coverage weighs more: a customer who gives two of four listed names (Spanish
 * double surnames, dropped middle names) is still a candidate, while a query token nothing
 * explains ("George BUSH" vs "George HABBASH") is strong evidence of a different person.
 */
const QUERY_SHARE = 0.6;

interface Pair {
  sim: number;
  q: number; // bit mask of query tokens
  n: number; // bit mask of name tokens
}

/**
 * Token-aware name score: best one-to-one assignment of query tokens to list-name tokens (two
 * adjacent tokens on either side may pair with one: ALZAWAHIRI / AL ZAWAHIRI), each pair weighted
 * by the list token's informativeness, with every unmatched token on either side costing its weight.
 */
export class NameMatchScorer {
  private readonly jw = new JaroWinkler();

  tokenSimilarity(a: string, b: string, phoneticA: string, phoneticB: string): number {
    if (a === b) return 1;
    // Initials and two-letter particles must match exactly (yente's OFAC mode drops them outright).
    if (a.length <= 2 || b.length <= 2) return 0;
    const sameFirst = a.charCodeAt(0) === b.charCodeAt(0);
    const phoneticTwins = sameFirst && phoneticA === phoneticB && phoneticA.length >= 3;
    // Where the measure cannot change the answer, the answer is known without it.
    if (phoneticTwins && !this.jw.mayReach(a, b, PHONETIC_FLOOR, BOUND_MARGIN)) return PHONETIC_FLOOR;
    if (!phoneticTwins && !this.jw.mayReach(a, b, sameFirst ? TOKEN_FLOOR : TOKEN_FLOOR / FIRST_LETTER_PENALTY, BOUND_MARGIN)) return 0;
    let sim = this.jw.similarity(a, b);
    if (!sameFirst) sim *= FIRST_LETTER_PENALTY;
    if (phoneticTwins) sim = Math.max(sim, PHONETIC_FLOOR);
    return sim >= TOKEN_FLOOR ? sim : 0;
  }

  /** `explain` builds the token table; retrieval scores ~80 candidates per query without it. */
  score(query: PreparedQuery, name: IndexedName, explain = true): NameScore {
    const qt = query.tokens;
    const nt = name.tokens;
    // Names longer than 30 tokens do not occur; masks keep the assignment allocation-free.
    const qn = Math.min(qt.length, 30);
    const nn = Math.min(nt.length, 30);
    const pairs: Pair[] = [];
    for (let i = 0; i < qn; i++) {
      for (let j = 0; j < nn; j++) {
        const sim = this.tokenSimilarity(qt[i]!, nt[j]!, query.phonetic[i]!, name.phonetic[j]!);
        if (sim > 0) pairs.push({ sim, q: 1 << i, n: 1 << j });
      }
    }
    // Joined neighbours: one side wrote two tokens where the other wrote one.
    for (let j = 0; j + 1 < nn; j++) {
      const joined = nt[j]! + nt[j + 1]!;
      for (let i = 0; i < qn; i++) {
        if (qt[i]!.length < 5) continue;
        const sim = this.joinedSimilarity(qt[i]!, joined);
        if (sim >= JOINED_FLOOR) pairs.push({ sim, q: 1 << i, n: (1 << j) | (1 << (j + 1)) });
      }
    }
    for (let i = 0; i + 1 < qn; i++) {
      const joined = qt[i]! + qt[i + 1]!;
      for (let j = 0; j < nn; j++) {
        if (nt[j]!.length < 5) continue;
        const sim = this.joinedSimilarity(joined, nt[j]!);
        if (sim >= JOINED_FLOOR) pairs.push({ sim, q: (1 << i) | (1 << (i + 1)), n: 1 << j });
      }
    }
    // Greedy by similarity; ties prefer the more informative list token. Exact enough for names
    // of a handful of tokens, and O(p log p) instead of the Hungarian method's O(n^3).
    pairs.sort((a, b) => b.sim - a.sim || this.maskWeight(name.weights, b.n) - this.maskWeight(name.weights, a.n));
    let usedQ = 0;
    let usedN = 0;
    let matchedWeight = 0;
    let pairWeight = 0;
    let informativeMatches = 0;
    let matchedPairs = 0;
    const tokens: TokenExplanation[] = [];
    for (const pair of pairs) {
      if ((pair.q & usedQ) !== 0 || (pair.n & usedN) !== 0) continue;
      usedQ |= pair.q;
      usedN |= pair.n;
      const weight = this.maskWeight(name.weights, pair.n);
      matchedWeight += weight * NameMatchScorer.credit(pair.sim);
      pairWeight += weight;
      matchedPairs++;
      if (this.maskHasInformative(name.generic, pair.n)) informativeMatches++;
      if (explain) tokens.push({
        query: this.maskTokens(qt, pair.q),
        matched: this.maskTokens(nt, pair.n),
        similarity: round(pair.sim),
        weight: round(weight),
      });
    }
    let unmatchedQueryWeight = 0;
    for (let i = 0; i < qn; i++) {
      if ((usedQ & (1 << i)) !== 0) continue;
      unmatchedQueryWeight += query.weights[i]!;
      if (explain) tokens.push({ query: qt[i]!, matched: null, similarity: 0, weight: round(query.weights[i]!) });
    }
    let unmatchedNameWeight = 0;
    const unmatchedListTokens: string[] = [];
    for (let j = 0; j < nn; j++) {
      if ((usedN & (1 << j)) !== 0) continue;
      unmatchedNameWeight += name.weights[j]!;
      if (explain) unmatchedListTokens.push(nt[j]!);
    }
    const queryCoverage = pairWeight + unmatchedQueryWeight > 0 ? matchedWeight / (pairWeight + unmatchedQueryWeight) : 0;
    const nameCoverage = pairWeight + unmatchedNameWeight > 0 ? matchedWeight / (pairWeight + unmatchedNameWeight) : 0;
    const score = QUERY_SHARE * queryCoverage + (1 - QUERY_SHARE) * nameCoverage;
    return { score: Math.min(1, Math.max(0, score)), tokens, unmatchedListTokens, informativeMatches, matchedPairs };
  }

  /**
   * Credit a pair earns: exact 1, and each point of Jaro-Winkler lost costs 2.5 points, so two
   * merely similar tokens (MARY/MARTYR, JAVIER/JOVER at 0.85-0.9) cannot add up to a match the way
   * raw Jaro-Winkler lets them (watchman's "George Bush" 89%), while one typo (0.95) still earns 0.875.
   */
  static credit(sim: number): number {
    return sim >= 1 ? 1 : Math.max(0, 1 - 2.5 * (1 - sim));
  }

  /** Jaro-Winkler where it may reach JOINED_FLOOR, else 0 (the pair is dropped either way). */
  private joinedSimilarity(a: string, b: string): number {
    return this.jw.mayReach(a, b, JOINED_FLOOR, BOUND_MARGIN) ? this.jw.similarity(a, b) : 0;
  }

  private maskWeight(weights: number[], mask: number): number {
    let w = 0;
    for (let j = 0; mask >> j !== 0; j++) if ((mask >> j) & 1) w += weights[j]!;
    return w;
  }

  private maskHasInformative(generic: boolean[], mask: number): boolean {
    for (let j = 0; mask >> j !== 0; j++) if ((mask >> j) & 1 && !generic[j]) return true;
    return false;
  }

  private maskTokens(tokens: string[], mask: number): string {
    const out: string[] = [];
    for (let j = 0; mask >> j !== 0; j++) if ((mask >> j) & 1) out.push(tokens[j]!);
    return out.join(' ');
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
