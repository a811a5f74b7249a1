import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';
import { venueIdSchema } from '../../venues/dto/venue-params.dto';
import { RISK_FLAG_SEVERITIES } from '../scoring/risk-facts';

export const RISK_FLAG_STATUSES = ['open', 'resolved'] as const;

const category = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, { message: 'must be a lower-case category such as chargebacks or adverse_media' });

export const flagCreateSchema = z.strictObject({
  venueId: venueIdSchema,
  severity: z.enum(RISK_FLAG_SEVERITIES),
  category,
  description: z.string().trim().min(1).max(2000),
});
export type FlagCreateRequest = z.infer<typeof flagCreateSchema>;

export const flagQuerySchema = z.strictObject({
  venueId: venueIdSchema.optional(),
  status: z.enum(RISK_FLAG_STATUSES).optional(),
  severity: z.enum(RISK_FLAG_SEVERITIES).optional(),
  category: category.optional(),
  ...pageQuerySchema,
});
export type FlagQuery = z.infer<typeof flagQuerySchema>;

export const flagResolveSchema = z.strictObject({ note: z.string().trim().min(1).max(2000) });
export type FlagResolveRequest = z.infer<typeof flagResolveSchema>;

export const riskFlagSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  severity: z.enum(RISK_FLAG_SEVERITIES),
  category: z.string(),
  description: z.string(),
  status: z.enum(RISK_FLAG_STATUSES),
  raisedBy: z.string(),
  raisedAt: z.string(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolutionNote: z.string().nullable(),
});
export type RiskFlagView = z.infer<typeof riskFlagSchema>;
export const riskFlagPageSchema = z.object({ items: z.array(riskFlagSchema), nextCursor: z.string().nullable() });
