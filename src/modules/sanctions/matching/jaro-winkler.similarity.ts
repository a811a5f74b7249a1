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
}
