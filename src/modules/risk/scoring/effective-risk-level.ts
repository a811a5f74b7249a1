import type { RiskLevel } from './risk-score';

export type EffectiveRiskSource = 'assessment' | 'override';

export interface EffectiveRiskLevel {
  /** `not_run` until the venue's first assessment (and without an override in force). */
  level: RiskLevel | 'not_run';
  source: EffectiveRiskSource;
  /** The latest override has passed its expiry: the level fell back to the assessment. */
  overrideExpired: boolean;
}

/**
 * An officer's override is in force until its expiry, whatever later assessments say; after that
 * it goes stale and the latest assessment decides again.
 */
export function effectiveRiskLevel(
  latestAssessment: { level: RiskLevel } | undefined,
  latestOverride: { level: RiskLevel; expiresAt: Date } | undefined,
  now: Date,
): EffectiveRiskLevel {
  if (latestOverride !== undefined && latestOverride.expiresAt > now) return { level: latestOverride.level, source: 'override', overrideExpired: false };
  return { level: latestAssessment?.level ?? 'not_run', source: 'assessment', overrideExpired: latestOverride !== undefined };
}
