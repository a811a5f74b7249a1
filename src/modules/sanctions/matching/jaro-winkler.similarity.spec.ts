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

  it('says a pair may reach a floor whenever its similarity does (mayReach only skips pairs certainly below it)', () => {
    // A small alphabet makes near and equal tokens common, where a bound that is too tight would show.
    const token = fc.string({ unit: fc.constantFrom('A', 'B', 'E', 'M', 'N', 'R'), maxLength: 12 });
    fc.assert(
      fc.property(token, token, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, floor) => {
        if (jw.similarity(a, b) >= floor) expect(jw.mayReach(a, b, floor, 0)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('rules out pairs far below a floor', () => {
    expect(jw.mayReach('SMITH', 'OKAFOR', 0.8, 1e-9)).toBe(false);
    expect(jw.mayReach('HASSAN', 'ALZAWAHIRI', 0.9, 1e-9)).toBe(false);
    expect(jw.mayReach('MARTHA', 'MARHTA', 0.95, 1e-9)).toBe(true);
  });
});
