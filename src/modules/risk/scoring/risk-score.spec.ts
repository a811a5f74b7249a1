import fc from 'fast-check';
import { RISK_LEVELS, type RiskFactorObservation, type RiskFactorWeight, riskLevelOf, type RiskThresholds, scoreRisk, UnweightedRiskFactorError } from './risk-score';

const thresholds: RiskThresholds = { monitor: 30, manualReview: 50, block: 70 };
const weight = (key: string, points: number): [string, RiskFactorWeight] => [key, { key, points, description: `${key} applies`, threshold: null }];
const weights = new Map([weight('screening.potential_match', 35), weight('documents.missing', 10), weight('flags.open.critical', 50), weight('screening.not_run', 10)]);

const arbitraryThresholds = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 3, maxLength: 3 })
  .map((values): RiskThresholds => {
    const [monitor, manualReview, block] = [...values].sort((a, b) => a - b) as [number, number, number];
    return { monitor, manualReview, block };
  });
const arbitraryWeights = fc.uniqueArray(fc.record({ key: fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/), points: fc.integer({ min: 0, max: 100 }) }), { selector: (entry) => entry.key, minLength: 1, maxLength: 12 });
const scenario = arbitraryWeights.chain((entries) =>
  fc.record({
    weights: fc.constant(new Map(entries.map((entry) => weight(entry.key, entry.points)))),
    observations: fc.array(fc.constantFrom(...entries.map((entry) => entry.key)).map((key): RiskFactorObservation => ({ key, evidence: {} })), { maxLength: 20 }),
    extra: fc.constantFrom(...entries.map((entry) => entry.key)),
    thresholds: arbitraryThresholds,
  }),
);

describe('risk score', () => {
  it('adds the points of every observed factor and lists each with its description and evidence', () => {
    const result = scoreRisk(
      [
        { key: 'screening.potential_match', evidence: { sanctionsStatus: 'potential_match' } },
        { key: 'documents.missing', evidence: { requirement: 'documents.w9' } },
      ],
      weights,
      thresholds,
    );
    expect(result).toEqual({
      score: 45,
      level: 'monitor',
      factors: [
        { key: 'screening.potential_match', description: 'screening.potential_match applies', points: 35, evidence: { sanctionsStatus: 'potential_match' } },
        { key: 'documents.missing', description: 'documents.missing applies', points: 10, evidence: { requirement: 'documents.w9' } },
      ],
    });
  });

  it('scores nothing observed as 0, approve', () => {
    expect(scoreRisk([], weights, thresholds)).toEqual({ score: 0, level: 'approve', factors: [] });
  });

  it('clamps at 100 however many factors pile up, and keeps listing them all', () => {
    const result = scoreRisk([1, 2, 3].map((flag) => ({ key: 'flags.open.critical', evidence: { flag } })), weights, thresholds);
    expect(result.score).toBe(100);
    expect(result.level).toBe('block');
    expect(result.factors.map((factor) => factor.points)).toEqual([50, 50, 50]);
  });

  it('refuses a factor the catalogue does not weigh', () => {
    expect(() => scoreRisk([{ key: 'velocity.spike', evidence: {} }], weights, thresholds)).toThrow(UnweightedRiskFactorError);
  });

  it.each([
    [0, 'approve'], [29, 'approve'], [30, 'monitor'], [49, 'monitor'], [50, 'manual_review'], [69, 'manual_review'], [70, 'block'], [100, 'block'],
  ] as const)('puts score %i at level %s with the default thresholds', (score, level) => {
    expect(riskLevelOf(score, thresholds)).toBe(level);
  });

  it('always scores within 0–100 (property)', () => {
    fc.assert(
      fc.property(scenario, ({ weights: scenarioWeights, observations, thresholds: scenarioThresholds }) => {
        const { score } = scoreRisk(observations, scenarioWeights, scenarioThresholds);
        return Number.isInteger(score) && score >= 0 && score <= 100;
      }),
    );
  });

  it('never lowers the score or the level when a factor is added (property)', () => {
    fc.assert(
      fc.property(scenario, ({ weights: scenarioWeights, observations, extra, thresholds: scenarioThresholds }) => {
        const before = scoreRisk(observations, scenarioWeights, scenarioThresholds);
        const after = scoreRisk([...observations, { key: extra, evidence: {} }], scenarioWeights, scenarioThresholds);
        return after.score >= before.score && RISK_LEVELS.indexOf(after.level) >= RISK_LEVELS.indexOf(before.level);
      }),
    );
  });

  it('gives a higher score a level at least as high (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), arbitraryThresholds, (a, b, scenarioThresholds) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return RISK_LEVELS.indexOf(riskLevelOf(low, scenarioThresholds)) <= RISK_LEVELS.indexOf(riskLevelOf(high, scenarioThresholds));
      }),
    );
  });
});
