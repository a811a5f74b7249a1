import { z } from 'zod';

const ENTRY_TYPES = ['individual', 'entity', 'vessel', 'aircraft'] as const;

const listsSchema = z
  .array(z.string().trim().min(1).max(100))
  .min(1)
  .max(20)
  .describe('restrict to these lists (e.g. OFAC-SDN); default every active list');

/** One name to screen; `country` and `dateOfBirth` confirm or refute a hit, they never create one. */
const subjectShape = {
  name: z.string().trim().min(1).max(500),
  type: z.enum(ENTRY_TYPES).optional(),
  country: z.string().trim().min(2).max(100).optional().describe('ISO 3166-1 alpha-2, or a country name'),
  dateOfBirth: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { message: 'must be YYYY, YYYY-MM or YYYY-MM-DD' })
    .optional(),
};

export const screeningRequestSchema = z.strictObject({ ...subjectShape, lists: listsSchema.optional() });
export type ScreeningRequest = z.infer<typeof screeningRequestSchema>;

export const BATCH_LIMIT = 1_000;

export const batchScreeningRequestSchema = z.strictObject({
  items: z.array(z.strictObject(subjectShape)).min(1).max(BATCH_LIMIT, { message: `at most ${BATCH_LIMIT} names per batch` }),
  lists: listsSchema.optional(),
});
export type BatchScreeningRequest = z.infer<typeof batchScreeningRequestSchema>;

export const screeningParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });
export type ScreeningParams = z.infer<typeof screeningParamsSchema>;

export const matchParamsSchema = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }), sdnId: z.string().trim().min(1).max(200) });
export type MatchParams = z.infer<typeof matchParamsSchema>;

export const dispositionRequestSchema = z.strictObject({
  decision: z.enum(['confirmed_match', 'false_positive']),
  reason: z.string().trim().min(1).max(2000),
  list: z.string().trim().min(1).max(100).optional().describe('the hit\'s list, when the screening hit the same id on two lists'),
  reviewAfterDays: z.number().int().min(1).max(3650).optional().describe('false positives: re-review after this many days (default SANCTIONS_FALSE_POSITIVE_REVIEW_DAYS)'),
});
export type DispositionRequest = z.infer<typeof dispositionRequestSchema>;

const hitSchema = z.object({
  sdnId: z.string(),
  list: z.string(),
  name: z.string().describe('the entry\'s primary name'),
  matchedName: z.string(),
  matchedNameKind: z.enum(['primary', 'aka', 'fka', 'nka', 'weak_aka']),
  score: z.number(),
  outcome: z.enum(['MATCH', 'POTENTIAL_MATCH', 'CLEAR']),
  programs: z.array(z.string()),
  type: z.enum(ENTRY_TYPES),
  contentHash: z.string(),
  explanation: z.object({
    tokens: z.array(z.object({ query: z.string(), matched: z.string().nullable(), similarity: z.number(), weight: z.number() })),
    unmatchedListTokens: z.array(z.string()),
    nameScore: z.number(),
    adjustments: z.array(z.object({ reason: z.string(), delta: z.number() })),
  }),
});

export const screeningViewSchema = z.object({
  id: z.uuid(),
  subjectKey: z.string().describe('who was screened: venue:<id>:business|owner:<name>, or adhoc:<name> (normalised)'),
  verificationId: z.uuid().nullable(),
  result: z.enum(['CLEAR', 'POTENTIAL_MATCH', 'MATCH']),
  listVersion: z.string().describe('the list version ids screened against, comma-separated'),
  screenedAt: z.string(),
  matches: z.array(hitSchema),
  suppressed: z.array(hitSchema).describe('hits an officer decided were false positives for this subject'),
});
export type ScreeningView = z.infer<typeof screeningViewSchema>;

export const verificationScreeningsQuerySchema = z.strictObject({ verificationId: z.uuid({ message: 'must be a UUID' }) });
export type VerificationScreeningsQuery = z.infer<typeof verificationScreeningsQuerySchema>;

export const batchScreeningViewSchema = z.object({ items: z.array(screeningViewSchema) });

export const dispositionViewSchema = z.object({
  id: z.uuid(),
  screeningId: z.uuid(),
  sdnId: z.string(),
  list: z.string(),
  decision: z.enum(['confirmed_match', 'false_positive']),
  reason: z.string(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  reviewAt: z.string(),
  verificationSanctionsStatus: z.enum(['clear', 'potential_match', 'match']).nullable(),
});
export type DispositionView = z.infer<typeof dispositionViewSchema>;

export const importRequestSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('ofac'), dir: z.string().min(1).max(500).describe('folder inside SANCTIONS_IMPORT_DIR') }),
  z.strictObject({ source: z.literal('opensanctions'), file: z.string().min(1).max(500).describe('CSV file inside SANCTIONS_IMPORT_DIR') }),
]);
export type ImportRequest = z.infer<typeof importRequestSchema>;

export const importViewSchema = z.object({
  status: z.enum(['imported', 'unchanged']),
  versionId: z.uuid(),
  source: z.string(),
  listName: z.string(),
  checksum: z.string(),
  entries: z.number(),
  aliases: z.number(),
  durationMs: z.number(),
  prunedVersions: z.number(),
});
