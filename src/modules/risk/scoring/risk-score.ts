/** The levels of a risk assessment, lowest first; the verification's `risk_status` takes them too. */
export const RISK_LEVELS = ['approve', 'monitor', 'manual_review', 'block'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Scores from which each level above `approve` starts (RISK_LEVEL_THRESHOLDS, default 30,50,70). */
export interface RiskThresholds {
  monitor: number;
  manualReview: number;
  block: number;
}

export const MAX_RISK_SCORE = 100;

/** A factor of the catalogue (risk_factor_weights), with the tenant's override of its points applied. */
export interface RiskFactorWeight {
  key: string;
  points: number;
  description: string;
  /** For threshold factors: the value from which the factor applies (cents for expected volume, percent for ratios). */
  threshold: number | null;
}

/** One occurrence of a factor in a venue's facts, with what shows it. */
export interface RiskFactorObservation {
  key: string;
  evidence: Record<string, unknown>;
}

export interface ScoredRiskFactor extends RiskFactorObservation {
  description: string;
  points: number;
}

export interface RiskScore {
  score: number;
  level: RiskLevel;
  factors: ScoredRiskFactor[];
}

/** A factor was observed that the catalogue does not weigh: a migration is missing. */
export class UnweightedRiskFactorError extends Error {
  constructor(key: string) {
    super(`Risk factor ${key} has no row in risk_factor_weights`);
    this.name = 'UnweightedRiskFactorError';
  }
}

/**
 * The score is the sum of the points of every observed factor, clamped to 0–100; the level follows
 * from the score alone. Points are never negative, so an added factor never lowers the score, and
 * each factor is listed with its points and evidence so an officer can see why.
 */
export function scoreRisk(observations: readonly RiskFactorObservation[], weights: ReadonlyMap<string, RiskFactorWeight>, thresholds: RiskThresholds): RiskScore {
  const factors = observations.map((observation): ScoredRiskFactor => {
    const weight = weights.get(observation.key);
    if (weight === undefined) throw new UnweightedRiskFactorError(observation.key);
    return { key: observation.key, description: weight.description, points: Math.max(0, weight.points), evidence: observation.evidence };
  });
  const total = factors.reduce((sum, factor) => sum + factor.points, 0);
  const score = Math.min(MAX_RISK_SCORE, Math.max(0, Math.round(total)));
  return { score, level: riskLevelOf(score, thresholds), factors };
}

export function riskLevelOf(score: number, thresholds: RiskThresholds): RiskLevel {
  if (score >= thresholds.block) return 'block';
  if (score >= thresholds.manualReview) return 'manual_review';
  if (score >= thresholds.monitor) return 'monitor';
  return 'approve';
}
