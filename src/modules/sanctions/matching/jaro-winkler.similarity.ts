/**
 * Jaro-Winkler similarity of two tokens, 0..1, with moov-io/watchman's settings: the Winkler
 * prefix boost applies only above 0.7 (boost threshold) and looks at up to 4 leading characters
 * with scale 0.1. watchman's length and first-sound penalties are applied by the scorer, not here,
 * so this stays the textbook measure (symmetric, 1 for identical strings).
 */
export class JaroWinkler {
  static readonly BOOST_THRESHOLD = 0.7;
  static readonly PREFIX_LENGTH = 4;
  static readonly PREFIX_SCALE = 0.1;

  // Reused between calls: scoring runs millions of pairs and allocation would dominate.
  private aMatched = new Uint8Array(64);
  private bMatched = new Uint8Array(64);
  /** Character counts for mayReach, by code point modulo 128; all zero between calls. */
  private readonly counts = new Int32Array(128);

  similarity(a: string, b: string): number {
    if (a === b) return 1;
    const la = a.length;
    const lb = b.length;
    if (la === 0 || lb === 0) return 0;
    if (this.aMatched.length < la) this.aMatched = new Uint8Array(la * 2);
    if (this.bMatched.length < lb) this.bMatched = new Uint8Array(lb * 2);
    const aMatched = this.aMatched;
    const bMatched = this.bMatched;
    aMatched.fill(0, 0, la);
    bMatched.fill(0, 0, lb);

    const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
    let matches = 0;
    for (let i = 0; i < la; i++) {
      const from = Math.max(0, i - window);
      const to = Math.min(lb - 1, i + window);
      const ch = a.charCodeAt(i);
      for (let j = from; j <= to; j++) {
        if (bMatched[j] === 0 && b.charCodeAt(j) === ch) {
          aMatched[i] = 1;
          bMatched[j] = 1;
          matches++;
          break;
        }
      }
    }
    if (matches === 0) return 0;

    let halfTranspositions = 0;
    let k = 0;
    for (let i = 0; i < la; i++) {
      if (aMatched[i] === 0) continue;
      while (bMatched[k] === 0) k++;
      if (a.charCodeAt(i) !== b.charCodeAt(k)) halfTranspositions++;
      k++;
    }
    const m = matches;
    const jaro = (m / la + m / lb + (m - halfTranspositions / 2) / m) / 3;
    if (jaro <= JaroWinkler.BOOST_THRESHOLD) return jaro;

    let prefix = 0;
    const maxPrefix = Math.min(JaroWinkler.PREFIX_LENGTH, la, lb);
    while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
    return jaro + prefix * JaroWinkler.PREFIX_SCALE * (1 - jaro);
  }

  /**
   * False when similarity(a, b) is certainly below `floor` (by more than `margin`, so that rounding
   * never decides), from bounds far cheaper than the measure: Jaro's matches are at most the
   * shorter length, and at most the characters both strings hold regardless of position (counted
   * per code point modulo 128, which can only count more); transpositions only lower the score;
   * the Winkler boost grows with the Jaro score for a given common prefix. Most token pairs a
   * query is compared with are far apart, and the scorer needs only those that reach its floors.
   */
  mayReach(a: string, b: string, floor: number, margin: number): boolean {
    if (a === b) return true;
    const la = a.length;
    const lb = b.length;
    if (la === 0 || lb === 0) return 0 >= floor - margin;
    const maxPrefix = Math.min(JaroWinkler.PREFIX_LENGTH, la, lb);
    let prefix = 0;
    while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
    if (JaroWinkler.bound(Math.min(la, lb), la, lb, prefix) < floor - margin) return false;
    const counts = this.counts;
    for (let i = 0; i < la; i++) counts[a.charCodeAt(i) & 127]!++;
    let common = 0;
    for (let j = 0; j < lb; j++) {
      const c = b.charCodeAt(j) & 127;
      if (counts[c]! > 0) {
        counts[c]!--;
        common++;
      }
    }
    for (let i = 0; i < la; i++) counts[a.charCodeAt(i) & 127] = 0;
    return (common === 0 ? 0 : JaroWinkler.bound(common, la, lb, prefix)) >= floor - margin;
  }

  /** The most Jaro-Winkler can be with `matches` matching characters and this common prefix. */
  private static bound(matches: number, la: number, lb: number, prefix: number): number {
    const jaro = (matches / la + matches / lb + 1) / 3;
    return jaro <= JaroWinkler.BOOST_THRESHOLD ? jaro : jaro + prefix * JaroWinkler.PREFIX_SCALE * (1 - jaro);
  }
}
