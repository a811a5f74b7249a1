import fc from 'fast-check';
import { JaroWinkler } from './jaro-winkler.similarity';
import { NameMatchScorer } from './name-match.scorer';
import { PhoneticKeyEncoder } from './phonetic-key.encoder';

/** The token rule as first written: Jaro-Winkler of every pair, then the penalty and the floors. */
function referenceSimilarity(a: string, b: string, phoneticA: string, phoneticB: string): number {
  if (a === b) return 1;
  if (a.length <= 2 || b.length <= 2) return 0;
  let sim = new JaroWinkler().similarity(a, b);
  if (a.charCodeAt(0) !== b.charCodeAt(0)) sim *= 0.9;
  if (phoneticA === phoneticB && phoneticA.length >= 3 && a.charCodeAt(0) === b.charCodeAt(0)) sim = Math.max(sim, 0.9);
  return sim >= 0.8 ? sim : 0;
}

describe('NameMatchScorer.tokenSimilarity', () => {
  const scorer = new NameMatchScorer();
  const phonetic = new PhoneticKeyEncoder();

  it('gives exactly what computing Jaro-Winkler for every pair gives (the bounds only skip work)', () => {
    // Letters that make phonetic twins (MOHAMMED / MUHAMAD) and near spellings frequent.
    const token = fc.string({ unit: fc.constantFrom('A', 'D', 'E', 'H', 'K', 'M', 'O', 'S', 'U'), minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(token, token, (a, b) => {
        const [pa, pb] = [phonetic.encode(a), phonetic.encode(b)];
        expect(scorer.tokenSimilarity(a, b, pa, pb)).toBe(referenceSimilarity(a, b, pa, pb));
      }),
      { numRuns: 10_000 },
    );
  });

  it.each([
    ['MOHAMMED', 'MUHAMMAD'],
    ['HUSSEIN', 'HUSAYN'],
    ['ZAWAHIRI', 'ZAWAHRI'],
    ['SMITH', 'SCHMIDT'],
    ['GEORGE', 'JORGE'],
  ])('scores %s / %s as the reference does', (a, b) => {
    const [pa, pb] = [phonetic.encode(a), phonetic.encode(b)];
    expect(scorer.tokenSimilarity(a, b, pa, pb)).toBe(referenceSimilarity(a, b, pa, pb));
  });
});
