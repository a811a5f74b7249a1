import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';

export const auditQuerySchema = z.strictObject({
  resourceType: z.string().min(1).max(100).optional(),
  resourceId: z.string().min(1).max(200).optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('inclusive, ISO 8601'),
  to: z.iso.datetime({ offset: true }).optional().describe('exclusive, ISO 8601'),
  ...pageQuerySchema,
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditRecordSchema = z.object({
  id: z.string(),
  seq: z.number().nullable(),
  occurredAt: z.string(),
  actor: z.string(),
  actorRoles: z.array(z.string()),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  subjectId: z.string().nullable().describe('the data subject (venue id) the entry is about'),
  personal: z.unknown().describe('personal values of the subject, kept beside the chain; null when none or erased'),
  personalErased: z.boolean().describe('true when an erasure request destroyed the personal values (the chain still verifies)'),
});

export const auditPageSchema = z.object({ items: z.array(auditRecordSchema), nextCursor: z.string().nullable() });

export const chainVerificationSchema = z.object({
  tenantId: z.string(),
  checked: z.number(),
  intact: z.boolean(),
  firstBroken: z.object({ seq: z.number(), id: z.string(), reason: z.string() }).nullable(),
});
