import { z } from 'zod';
import { DOCUMENT_KINDS } from '../documents/document.repository';

/** The form fields that accompany the file of a multipart upload. */
export const documentUploadFieldsSchema = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  ownerId: z.uuid({ message: 'must be the id of a beneficial owner' }).optional().describe('for ID documents: the beneficial owner they identify'),
});
export type DocumentUploadFields = z.infer<typeof documentUploadFieldsSchema>;

export const DOCUMENT_DECISIONS = ['accepted', 'rejected', 'revision_requested'] as const;

export const documentDecisionSchema = z
  .strictObject({ decision: z.enum(DOCUMENT_DECISIONS), reason: z.string().trim().min(1).max(2000).optional() })
  .refine((body) => body.decision === 'accepted' || body.reason !== undefined, { message: 'a reason is required to reject or request a revision', path: ['reason'] });
export type DocumentDecisionRequest = z.infer<typeof documentDecisionSchema>;

export const documentViewSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  ownerId: z.string().nullable(),
  kind: z.enum(DOCUMENT_KINDS),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  fileName: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'rejected', 'revision_requested']),
  decisionReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export type DocumentView = z.infer<typeof documentViewSchema>;
export const documentListSchema = z.object({ items: z.array(documentViewSchema) });

/** OpenAPI description of the multipart body (validated by hand: the file streams in). */
export const documentUploadOpenApiSchema = {
  type: 'object',
  required: ['kind', 'file'],
  properties: {
    kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
    ownerId: { type: 'string', format: 'uuid' },
    file: { type: 'string', format: 'binary', description: 'PDF, PNG or JPEG, at most 10 MB; send the fields before the file' },
  },
};
