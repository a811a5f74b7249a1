import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';
import { venueIdSchema } from '../../venues/dto/venue-params.dto';
import { MAX_EXTENSION_MONTHS, PRIVACY_REQUEST_STATES, PRIVACY_REQUEST_TYPES } from '../privacy-request-rules';

const reasonSchema = z.string().trim().min(3, { message: 'must say why, in at least 3 characters' }).max(2_000);

export const createPrivacyRequestSchema = z.strictObject({
  subjectId: venueIdSchema.describe('the payee venue the request is about (sole traders and organisers are natural persons)'),
  type: z.enum(PRIVACY_REQUEST_TYPES),
  reason: reasonSchema.describe('how the request reached us and what it asks, as the subject put it'),
});
export type CreatePrivacyRequest = z.infer<typeof createPrivacyRequestSchema>;

export const extendRequestSchema = z.strictObject({
  months: z.number().int().min(1).max(MAX_EXTENSION_MONTHS).describe('Art. 12(3): by up to two further months, once'),
  reason: reasonSchema.describe('why the request is complex or numerous; communicated to the subject within the first month'),
});
export type ExtendRequest = z.infer<typeof extendRequestSchema>;

export const refuseRequestSchema = z.strictObject({ reason: reasonSchema.describe('Art. 12(4): the reasons for not taking action, told to the subject') });
export type RefuseRequest = z.infer<typeof refuseRequestSchema>;

export const privacyRequestListQuerySchema = z.strictObject({
  state: z.enum(PRIVACY_REQUEST_STATES).optional(),
  type: z.enum(PRIVACY_REQUEST_TYPES).optional(),
  overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional().describe('true: open requests past their due date'),
  ...pageQuerySchema,
});
export type PrivacyRequestListQuery = z.infer<typeof privacyRequestListQuerySchema>;

export const privacyRequestViewSchema = z.object({
  id: z.uuid(),
  subjectId: z.string(),
  type: z.enum(PRIVACY_REQUEST_TYPES),
  reason: z.string(),
  state: z.enum(PRIVACY_REQUEST_STATES),
  requestedBy: z.string(),
  receivedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  extension: z.object({ extendedAt: z.string(), reason: z.string() }).nullable(),
  refusalReason: z.string().nullable(),
  handledBy: z.string().nullable(),
  completedAt: z.string().nullable(),
  outcome: z.record(z.string(), z.unknown()).nullable().describe('erasure: rows deleted, anonymised and restricted per table; access: records exported per table'),
});
export type PrivacyRequestView = z.infer<typeof privacyRequestViewSchema>;

export const privacyRequestPageSchema = z.object({ items: z.array(privacyRequestViewSchema), nextCursor: z.string().nullable() });

export const exportLinkSchema = z.object({
  url: z.string().describe('path and query of the download; valid until expiresAt, needs no token'),
  expiresAt: z.string(),
});

export const subjectParamsSchema = z.strictObject({ subjectId: venueIdSchema });
export type SubjectParams = z.infer<typeof subjectParamsSchema>;

export const restrictedReadQuerySchema = z.strictObject({ reason: reasonSchema.describe('why the restricted records are needed (a legal claim, an authority\'s request); audited') });
export type RestrictedReadQuery = z.infer<typeof restrictedReadQuerySchema>;

export const subjectDocumentSchema = z.object({
  subjectId: z.string(),
  tenantId: z.string(),
  generatedAt: z.string(),
  records: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).describe('every record held about the subject, by kind'),
  auditEntries: z.array(z.record(z.string(), z.unknown())),
});
export type SubjectDocument = z.infer<typeof subjectDocumentSchema>;

export const exportDownloadParamsSchema = z.strictObject({ tenantId: z.uuid({ message: 'must be a UUID' }), id: z.uuid({ message: 'must be a UUID' }) });
export const exportDownloadQuerySchema = z.strictObject({
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[0-9a-f]{64}$/, { message: 'must be the 64 hex digits the link was issued with' }),
});
