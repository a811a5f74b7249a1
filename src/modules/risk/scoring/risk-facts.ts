import type { RiskFactorObservation, RiskFactorWeight } from './risk-score';

export const RISK_FLAG_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type RiskFlagSeverity = (typeof RISK_FLAG_SEVERITIES)[number];

/** What the venues module knows of a venue's current verification (VerificationsService.riskFacts). */
export interface VerificationRiskFacts {
  verificationId: string;
  state: 'pending' | 'in_review' | 'verified' | 'rejected' | 'action_required' | 'expired';
  /** A verified venue whose validity ended is treated as expired. */
  lapsed: boolean;
  sanctionsStatus: 'not_run' | 'clear' | 'potential_match' | 'match';
  expectedAnnualVolumeCents: number;
  /** The checklist (Stripe-shaped requirements) of the verification. */
  requirements: { currently_due: string[]; errors: Array<{ code: string; requirement: string; reason: string }> };
}

export interface OpenRiskFlagFact {
  id: string;
  severity: RiskFlagSeverity;
  category: string;
}

export interface VenueRiskFacts {
  verification: VerificationRiskFacts;
  openFlags: readonly OpenRiskFlagFact[];
}

const DOCUMENT_REQUIREMENT = /^(documents\.[a-z0-9_]+|owners\.[^.]+\.id_document)$/;
const DOCUMENT_NOT_ACCEPTED = new Set(['verification_document_rejected', 'verification_document_revision_requested']);

/**
 * Turns a venue's facts into factor observations (pure; no weights but the thresholds of threshold
 * factors). Transaction activity (1099-K thresholds, volume, velocity) is observed from the tax
 * module's ledger in transaction-activity-facts.ts.
 */
export function observeRiskFactors(facts: VenueRiskFacts, weights: ReadonlyMap<string, RiskFactorWeight>): RiskFactorObservation[] {
  const { verification } = facts;
  const observations: RiskFactorObservation[] = [];
  const verificationEvidence = { verificationId: verification.verificationId, state: verification.state };

  if (verification.state === 'pending' || verification.state === 'in_review') observations.push({ key: 'verification.not_verified', evidence: verificationEvidence });
  if (verification.state === 'action_required') observations.push({ key: 'verification.action_required', evidence: verificationEvidence });
  if (verification.state === 'rejected') observations.push({ key: 'verification.rejected', evidence: verificationEvidence });
  if (verification.state === 'expired' || (verification.state === 'verified' && verification.lapsed)) observations.push({ key: 'verification.expired', evidence: verificationEvidence });

  for (const requirement of verification.requirements.currently_due.filter((item) => DOCUMENT_REQUIREMENT.test(item))) {
    const refusal = verification.requirements.errors.find((error) => error.requirement === requirement && DOCUMENT_NOT_ACCEPTED.has(error.code));
    observations.push(
      refusal === undefined
        ? { key: 'documents.missing', evidence: { verificationId: verification.verificationId, requirement } }
        : { key: 'documents.rejected', evidence: { verificationId: verification.verificationId, requirement, reason: refusal.reason } },
    );
  }

  if (verification.sanctionsStatus !== 'clear') {
    observations.push({ key: `screening.${verification.sanctionsStatus}`, evidence: { verificationId: verification.verificationId, sanctionsStatus: verification.sanctionsStatus } });
  }

  for (const flag of facts.openFlags) observations.push({ key: `flags.open.${flag.severity}`, evidence: { flagId: flag.id, severity: flag.severity, category: flag.category } });

  for (const weight of [...weights.values()].filter((candidate) => candidate.key.startsWith('volume.expected') && candidate.threshold !== null)) {
    if (verification.expectedAnnualVolumeCents >= (weight.threshold as number)) {
      observations.push({ key: weight.key, evidence: { expectedAnnualVolumeCents: verification.expectedAnnualVolumeCents, thresholdCents: weight.threshold } });
    }
  }
  return observations;
}
