import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SanctionsEvaluationSetGenerator } from '../evaluation/sanctions-evaluation-set.generator';
import { SanctionsEvaluationRunner } from '../evaluation/sanctions-evaluation.runner';
import { OfacSdnParser } from '../lists/ofac-sdn.parser';
import { OpenSanctionsTargetsParser } from '../lists/opensanctions-targets.parser';
import { SanctionsNameIndex } from './sanctions-name.index';
import { SanctionsMatcher } from './sanctions.matcher';

const FIXTURE = join(__dirname, '../../../../test/fixtures/sanctions/ofac');

describe('SanctionsMatcher', () => {
  let index: SanctionsNameIndex;
  let matcher: SanctionsMatcher;

  beforeAll(async () => {
    const parser = new OfacSdnParser();
    index = SanctionsNameIndex.build(parser.parse(await parser.readDirectory(FIXTURE)).entries);
    matcher = new SanctionsMatcher(index);
  });

  it('finds a listed primary name as a MATCH on the right entry, with explanations', () => {
    const result = matcher.screen({ name: 'Ayman al-Zawahiri' });
    expect(result.outcome).toBe('MATCH');
    expect(result.matches[0]).toMatchObject({ matchedNameKind: 'primary', entry: { sourceId: '2676' } });
    expect(result.matches[0]!.explanation.tokens).toContainEqual(expect.objectContaining({ query: 'ZAWAHIRI', matched: 'ZAWAHIRI', similarity: 1 }));
  });

  it('finds an alias as a MATCH of kind aka', () => {
    const result = matcher.screen({ name: 'Musa Abu Marzouk' });
    expect(result.outcome).toBe('MATCH');
    expect(result.matches[0]).toMatchObject({ matchedNameKind: 'aka', entry: { sourceId: '3754' } });
  });

  it('finds transliterated and joined spellings', () => {
    expect(matcher.screen({ name: 'Aiman Alzawahiri' }).matches[0]?.entry.sourceId).toBe('2676');
  });

  it('reports a weak alias from the remarks at most as a POTENTIAL_MATCH', () => {
    const hit = matcher.screen({ name: 'snowsjohn' }).matches.find((m) => m.entry.sourceId === '28263');
    expect(hit).toMatchObject({ matchedNameKind: 'weak_aka', outcome: 'POTENTIAL_MATCH' });
  });

  it.each(['CORP', 'EMMA LLC', 'George Bush', 'INTERNATIONAL TRADING LLC', 'LLC'])('never calls %s a MATCH', (name) => {
    expect(matcher.screen({ name }).outcome).not.toBe('MATCH');
  });

  it.each(['John Smith', 'Olivia Fontaine', 'Blue Heron Logistics GmbH'])('clears %s', (name) => {
    expect(matcher.screen({ name }).outcome).toBe('CLEAR');
  });

  it('lowers the score when the birth year or country contradicts the listing', () => {
    const plain = matcher.screen({ name: 'Musa Abu Marzouk' }).matches[0]!;
    const otherYear = matcher.screen({ name: 'Musa Abu Marzouk', dateOfBirth: '1980-01-01' }).matches[0]!;
    expect(otherYear.score).toBeCloseTo(plain.score - 0.15, 3);
    expect(otherYear.explanation.adjustments[0]!.reason).toMatch(/birth year/);
    const bank = matcher.screen({ name: 'Banco Nacional de Cuba', countries: ['Germany'] }).matches[0]!;
    expect(bank.explanation.adjustments).toContainEqual(expect.objectContaining({ delta: -0.2 }));
  });

  it('keeps every score within [0, 1] for arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.option(fc.constantFrom('1951', '1951-02-09', '1970')), (name, dob) => {
        for (const m of matcher.screen({ name, ...(dob ? { dateOfBirth: dob } : {}) }).matches) {
          expect(m.score).toBeGreaterThanOrEqual(0);
          expect(m.score).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('meets recall and precision bounds on a seeded 300-case evaluation sample', () => {
    const cases = new SanctionsEvaluationSetGenerator(index).generate({ seed: 7, positives: 150, negatives: 150 });
    const report = new SanctionsEvaluationRunner().run(matcher, cases);
    expect(report.genericMatches).toBe(0);
    expect(report.alert.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.alert.precision).toBeGreaterThanOrEqual(0.93);
  });

  it('matches exact names on a small list, where every token is on a large share of the names', () => {
    const text = readFileSync(join(FIXTURE, '..', 'opensanctions-targets.simple.csv'), 'utf8');
    const small = new SanctionsMatcher(SanctionsNameIndex.build(new OpenSanctionsTargetsParser().parse(text).entries));
    const result = small.screen({ name: 'Vladimir Vladimirovich Putin' });
    expect(result.outcome).toBe('MATCH');
    expect(result.matches[0]?.explanation.adjustments).toEqual([]);
  });

  it('refuses thresholds in the wrong order', () => {
    expect(() => new SanctionsMatcher(index, { matchThreshold: 0.5, potentialMatchThreshold: 0.7 })).toThrow(RangeError);
  });
});
