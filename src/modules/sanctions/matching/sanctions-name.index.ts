import type { SanctionsListEntry } from '../lists/sanctions-list-entry.model';
import { NameNormalizer, type NormalizedName } from './name.normalizer';
import { PhoneticKeyEncoder } from './phonetic-key.encoder';
import type { MatchedNameKind } from './sanctions-matching.model';

/** One name of one entry (primary or alias), prepared once at build time. */
export interface IndexedName {
  entryIndex: number;
  name: string;
  kind: MatchedNameKind;
  tokens: string[];
  phonetic: string[];
  weights: number[];
  /** Normaliser's generic flag, or a token so frequent on the list that it identifies no one. */
  generic: boolean[];
}

/** A query prepared against this index: tokens with the list's informativeness of each. */
export interface PreparedQuery {
  normalized: NormalizedName;
  tokens: string[];
  phonetic: string[];
  weights: number[];
  generic: boolean[];
}

/** A token on more than this share of names is "very common" (MOHAMMAD, ALI, AHMAD...). */
const COMMON_SHARE = 0.006;
/**
 * ...and on more than this many: in a small list (a national list, a test fixture) the share alone
 * made every token common, so that no name could ever MATCH. The SDN list's share is ~140 names.
 */
const COMMON_MIN_NAMES = 20;
/** Scored candidates per query; yente fetches limit × 10 from Elasticsearch, we keep a fixed pool. */
const CANDIDATE_POOL = 80;

/**
 * In-memory index over every name of one list version, built from entries and never mutated:
 * the integrator builds a new one when a list version lands and swaps the reference (watchman swaps
 * lists atomically; yente builds an index per dataset version and flips an alias).
 *
 * Candidate retrieval is blocking, not a scan: inverted maps from exact token, phonetic key and
 * first three letters (plus two adjacent tokens joined, for AL ZAWAHIRI / ALZAWAHIRI) to name ids.
 */
export class SanctionsNameIndex {
  readonly names: IndexedName[] = [];
  private readonly byToken = new Map<string, number[]>();
  private readonly byPhonetic = new Map<string, number[]>();
  private readonly byPrefix = new Map<string, number[]>();
  private readonly documentFrequency = new Map<string, number>();
  private maxIdf = 1;
  // Scratch space for retrieval, sized to the name count; one query at a time (single-threaded).
  private accumulated = new Float64Array(0);
  private stamp = new Int32Array(0);
  private stampCounter = 0;

  private constructor(
    readonly entries: readonly SanctionsListEntry[],
    readonly normalizer: NameNormalizer,
    private readonly phoneticEncoder: PhoneticKeyEncoder,
  ) {}

  static build(entries: readonly SanctionsListEntry[], normalizer = new NameNormalizer()): SanctionsNameIndex {
    const index = new SanctionsNameIndex(entries, normalizer, new PhoneticKeyEncoder());
    index.load();
    return index;
  }

  get size(): number {
    return this.names.length;
  }

  /** IDF of a token over all names, squared and scaled to 0..1 so common tokens weigh far less. */
  weightOf(token: string): number {
    const idf = Math.log((this.names.length + 1) / ((this.documentFrequency.get(token) ?? 0) + 1));
    const scaled = Math.min(1, idf / this.maxIdf);
    return scaled * scaled;
  }

  isCommon(token: string): boolean {
    return (this.documentFrequency.get(token) ?? 0) > Math.max(this.names.length * COMMON_SHARE, COMMON_MIN_NAMES);
  }

  prepare(normalized: NormalizedName): PreparedQuery {
    const tokens = normalized.tokens;
    return {
      normalized,
      tokens,
      phonetic: tokens.map((t) => this.phoneticEncoder.encode(t)),
      weights: tokens.map((t, i) => this.weightOf(t) * (normalized.generic[i] ? 0.5 : 1)),
      generic: tokens.map((t, i) => normalized.generic[i]! || this.isCommon(t)),
    };
  }

  /** Ids of the names worth scoring for this query, best blocking evidence first. */
  candidates(query: PreparedQuery): number[] {
    const { tokens, phonetic, weights } = query;
    if (tokens.length === 0) return [];
    const touched: number[] = [];
    const visit = (postings: number[] | undefined, weight: number): void => {
      if (!postings) return;
      for (const id of postings) {
        // One credit per query token per name, however many of its keys hit.
        if (this.stamp[id] !== this.stampCounter) {
          this.stamp[id] = this.stampCounter;
          if (this.accumulated[id] === 0) touched.push(id);
          this.accumulated[id]! += weight;
        }
      }
    };
    const queryStamp = this.nextStamp(tokens.length + 1);
    let totalWeight = 0;
    for (let i = 0; i < tokens.length; i++) {
      this.stampCounter = queryStamp + i;
      const token = tokens[i]!;
      const weight = Math.max(weights[i]!, 0.02);
      totalWeight += weight;
      visit(this.byToken.get(token), weight);
      visit(this.byPhonetic.get(phonetic[i]!), weight);
      if (token.length >= 4) visit(this.byPrefix.get(token.slice(0, 3)), weight);
      // "ALZAWAHIRI" in the query against "AL ZAWAHIRI" on the list: the joined pair was indexed.
      if (i + 1 < tokens.length) visit(this.byToken.get(token + tokens[i + 1]!), weight + weights[i + 1]!);
    }
    this.stampCounter = queryStamp + tokens.length;
    // A name sharing too little weighted evidence with the query cannot reach the report threshold.
    const floor = totalWeight * 0.3;
    const selected = touched.filter((id) => this.accumulated[id]! >= floor);
    selected.sort((a, b) => this.accumulated[b]! - this.accumulated[a]!);
    for (const id of touched) this.accumulated[id] = 0;
    return selected.length > CANDIDATE_POOL ? selected.slice(0, CANDIDATE_POOL) : selected;
  }

  private nextStamp(width: number): number {
    this.stampCounter += width + 1;
    if (this.stampCounter > 2_000_000_000) {
      this.stamp.fill(0);
      this.stampCounter = width + 1;
    }
    return this.stampCounter;
  }

  private load(): void {
    this.entries.forEach((entry, entryIndex) => {
      this.addName(entryIndex, entry.primaryName, 'primary');
      for (const alias of entry.aliases) this.addName(entryIndex, alias.name, alias.kind);
    });
    this.maxIdf = Math.log(this.names.length + 1);
    for (const name of this.names) {
      name.weights = name.tokens.map((t, i) => this.weightOf(t) * (name.generic[i] ? 0.5 : 1));
      name.generic = name.tokens.map((t, i) => name.generic[i]! || this.isCommon(t));
    }
    this.accumulated = new Float64Array(this.names.length);
    this.stamp = new Int32Array(this.names.length);
  }

  private addName(entryIndex: number, name: string, kind: MatchedNameKind): void {
    const normalized = this.normalizer.normalize(name);
    if (normalized.tokens.length === 0) return;
    const id = this.names.length;
    const tokens = normalized.tokens;
    const phonetic = tokens.map((t) => this.phoneticEncoder.encode(t));
    this.names.push({ entryIndex, name, kind, tokens, phonetic, weights: [], generic: normalized.generic });
    const seen = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (!seen.has(token)) {
        seen.add(token);
        this.documentFrequency.set(token, (this.documentFrequency.get(token) ?? 0) + 1);
      }
      SanctionsNameIndex.post(this.byToken, token, id);
      SanctionsNameIndex.post(this.byPhonetic, phonetic[i]!, id);
      if (token.length >= 4) SanctionsNameIndex.post(this.byPrefix, token.slice(0, 3), id);
      if (i + 1 < tokens.length) SanctionsNameIndex.post(this.byToken, token + tokens[i + 1]!, id);
    }
  }

  private static post(map: Map<string, number[]>, key: string, id: number): void {
    const list = map.get(key);
    if (!list) map.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  }
}
