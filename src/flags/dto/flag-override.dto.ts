import { z } from 'zod';
import { flagRuleSchema, tenantIdSchema } from '../flag-override';

/** PUT body: `{ "enabled": true }` or `{ "rolloutPercent": 25 }`. */
export const setFlagOverrideSchema = flagRuleSchema;

/** GET /admin/flags?tenantId=&userId= evaluates for that caller. */
export const flagListQuerySchema = z.strictObject({
  tenantId: tenantIdSchema.optional(),
  userId: z.string().min(1).max(128).optional(),
});
export type FlagListQuery = z.infer<typeof flagListQuerySchema>;

export const tenantIdParamSchema = tenantIdSchema;
