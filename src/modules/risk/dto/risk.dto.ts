import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';
import { venueIdSchema } from '../../venues/dto/venue-params.dto';
import { RISK_LEVELS } from '../scoring/risk-score';

const text = (max: number) => z.string().trim().min(1).max(max);

export const assessmentRequestSchema = z.strictObject({ venueId: venueIdSchema });
export type AssessmentRequest = z.infer<typeof assessmentRequestSchema>;

const thresholdsSchema = z.object({ monitor: z.number(), manualReview: z.number(), block: z.number() }).describe('the scores from which each level started when assessed');

export const riskFactorSchema = z.object({
  key: z.string().describe('the factor of risk_factor_weights, e.g. screening.potential_match'),
  description: z.string(),
  points: z.number(),
  evidence: z.record(z.string(), z.unknown()).describe('the facts that show the factor: ids, states, requirement names'),
});

export const riskAssessmentSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  verificationId: z.uuid().nullable(),
  score: z.number().int().min(0).max(100),
  level: z.enum(RISK_LEVELS),
  factors: z.array(riskFactorSchema),
  thresholds: thresholdsSchema,
  assessedBy: z.string(),
  assessedAt: z.string(),
});
export type RiskAssessmentView = z.infer<typeof riskAssessmentSchema>;

export const overrideRequestSchema = z.strictObject({
  level: z.enum(RISK_LEVELS),
  reason: text(2000),
  expiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).describe('the override goes stale after this; must be in the future'),
});
export type OverrideRequest = z.infer<typeof overrideRequestSchema>;

export const riskOverrideSchema = z.object({
  id: z.uuid(),
  level: z.enum(RISK_LEVELS),
  reason: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type RiskOverrideView = z.infer<typeof riskOverrideSchema>;

export const venueRiskQuerySchema = z.strictObject({ ...pageQuerySchema });
export type VenueRiskQuery = z.infer<typeof venueRiskQuerySchema>;

export const venueRiskSchema = z.object({
  venueId: z.string(),
  effective: z.object({
    level: z.enum(['not_run', ...RISK_LEVELS]),
    source: z.enum(['assessment', 'override']),
    overrideExpired: z.boolean().describe('the latest override passed its expiry, so the assessment decides again'),
  }),
  latest: riskAssessmentSchema.nullable(),
  override: riskOverrideSchema.nullable().describe('the latest override, in force or expired'),
  history: z.object({ items: z.array(riskAssessmentSchema).describe('newest first'), nextCursor: z.string().nullable() }),
});
export type VenueRiskView = z.infer<typeof venueRiskSchema>;

export const factorKeyParamsSchema = z.strictObject({ factorKey: z.string().regex(/^[a-z][a-z0-9_.]{0,99}$/, { message: 'must be a factor key such as screening.match' }) });
export type FactorKeyParams = z.infer<typeof factorKeyParamsSchema>;

export const weightUpdateSchema = z.strictObject({ points: z.number().int().min(0).max(100) });
export type WeightUpdate = z.infer<typeof weightUpdateSchema>;

export const riskWeightSchema = z.object({
  key: z.string(),
  description: z.string(),
  points: z.number().describe('what this tenant\'s assessments use'),
  defaultPoints: z.number(),
  overridden: z.boolean(),
  threshold: z.number().nullable().describe('threshold factors: the value from which they apply'),
});
export type RiskWeightView = z.infer<typeof riskWeightSchema>;
export const riskWeightListSchema = z.object({ items: z.array(riskWeightSchema) });
