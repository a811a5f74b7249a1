import { observeRiskFactors, type VenueRiskFacts } from './risk-facts';
import type { RiskFactorWeight } from './risk-score';

const weights = new Map<string, RiskFactorWeight>([
  ['volume.expected_high', { key: 'volume.expected_high', points: 10, description: '', threshold: 100_000_000 }],
  ['volume.expected_very_high', { key: 'volume.expected_very_high', points: 15, description: '', threshold: 1_000_000_000 }],
]);

const verified: VenueRiskFacts = {
  verification: {
    verificationId: 'v1',
    state: 'verified',
    lapsed: false,
    sanctionsStatus: 'clear',
    expectedAnnualVolumeCents: 1_000_000,
    requirements: { currently_due: [], errors: [] },
  },
  openFlags: [],
};
const keys = (facts: VenueRiskFacts): string[] => observeRiskFactors(facts, weights).map((observation) => observation.key);

describe('risk factor observations', () => {
  it('observes nothing for a verified, screened-clear venue of ordinary volume without flags', () => {
    expect(keys(verified)).toEqual([]);
  });

  it('observes a fresh submission: not verified, each missing document, not screened', () => {
    const observations = observeRiskFactors(
      {
        ...verified,
        verification: {
          ...verified.verification,
          state: 'pending',
          sanctionsStatus: 'not_run',
          requirements: { currently_due: ['documents.w9', 'owners.o1.id_document', 'business.resubmission', 'risk.assessment'], errors: [] },
        },
      },
      weights,
    );
    expect(observations).toEqual([
      { key: 'verification.not_verified', evidence: { verificationId: 'v1', state: 'pending' } },
      { key: 'documents.missing', evidence: { verificationId: 'v1', requirement: 'documents.w9' } },
      { key: 'documents.missing', evidence: { verificationId: 'v1', requirement: 'owners.o1.id_document' } },
      { key: 'screening.not_run', evidence: { verificationId: 'v1', sanctionsStatus: 'not_run' } },
    ]);
  });

  it('tells a rejected document from a missing one, with the officer\'s reason', () => {
    const facts: VenueRiskFacts = {
      ...verified,
      verification: { ...verified.verification, requirements: { currently_due: ['documents.w9'], errors: [{ code: 'verification_document_rejected', requirement: 'documents.w9', reason: 'unsigned' }] } },
    };
    expect(observeRiskFactors(facts, weights)).toEqual([{ key: 'documents.rejected', evidence: { verificationId: 'v1', requirement: 'documents.w9', reason: 'unsigned' } }]);
  });

  it.each([
    ['action_required', false, 'verification.action_required'],
    ['rejected', false, 'verification.rejected'],
    ['expired', false, 'verification.expired'],
    ['verified', true, 'verification.expired'],
  ] as const)('observes a verification %s (lapsed: %s) as %s', (state, lapsed, key) => {
    expect(keys({ ...verified, verification: { ...verified.verification, state, lapsed } })).toEqual([key]);
  });

  it('observes screening results, each open flag by severity, and the volume bands reached', () => {
    const facts: VenueRiskFacts = {
      verification: { ...verified.verification, sanctionsStatus: 'potential_match', expectedAnnualVolumeCents: 1_000_000_000 },
      openFlags: [{ id: 'f1', severity: 'high', category: 'chargebacks' }, { id: 'f2', severity: 'low', category: 'adverse_media' }],
    };
    expect(observeRiskFactors(facts, weights)).toEqual([
      { key: 'screening.potential_match', evidence: { verificationId: 'v1', sanctionsStatus: 'potential_match' } },
      { key: 'flags.open.high', evidence: { flagId: 'f1', severity: 'high', category: 'chargebacks' } },
      { key: 'flags.open.low', evidence: { flagId: 'f2', severity: 'low', category: 'adverse_media' } },
      { key: 'volume.expected_high', evidence: { expectedAnnualVolumeCents: 1_000_000_000, thresholdCents: 100_000_000 } },
      { key: 'volume.expected_very_high', evidence: { expectedAnnualVolumeCents: 1_000_000_000, thresholdCents: 1_000_000_000 } },
    ]);
    expect(keys({ ...verified, verification: { ...verified.verification, sanctionsStatus: 'match' } })).toEqual(['screening.match']);
  });
});
