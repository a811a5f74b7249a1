import fc from 'fast-check';
import { JaroWinkler } from './jaro-winkler.similarity';

describe('JaroWinkler', () => {
  const jw = new JaroWinkler();

  it.each([
    ['MARTHA', 'MARHTA', 0.9611],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.8133],
  ])('gives the textbook value for %s / %s', (a, b, expected) => {
    expect(jw.similarity(a, b)).toBeCloseTo(expected, 3);
  });

  it('is 1 for identical strings, symmetric, and within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const ab = jw.similarity(a, b);
        expect(jw.similarity(a, a)).toBe(1);
        expect(ab).toBeCloseTo(jw.similarity(b, a), 12);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1);
      }),
    );
  });
});
