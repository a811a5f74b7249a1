import { z } from 'zod';
import { pageQuerySchema } from '../../../common/pagination';
import { einProblem } from '../verifications/ein';
import { VERIFICATION_STATES } from '../verifications/verification-state';

const text = (max: number) => z.string().trim().min(1).max(max);

const addressSchema = z.strictObject({
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).describe('state or province'),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as US' }),
});

const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

const beneficialOwnerSchema = z.strictObject({
  fullName: text(200),
  dateOfBirth: isoDate.refine((value) => new Date(value) < new Date(), { message: 'must be in the past' }),
  ownershipPercent: z.number().gt(0).max(100).multipleOf(0.01, { message: 'must have at most two decimals' }),
});

/** What a venue submits for verification; also the body of a resubmission. */
export const verificationSubmissionSchema = z
  .strictObject({
    legalName: text(200),
    ein: z.string().superRefine((value, context) => {
      const problem = einProblem(value);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    }),
    businessAddress: addressSchema,
    contactEmail: z.email({ message: 'must be an email address' }).max(254),
    expectedAnnualVolumeCents: z.number().int().min(0).max(1e13).default(0).describe('expected gross ticket sales a year, in cents'),
    beneficialOwners: z.array(beneficialOwnerSchema).min(1, { message: 'name at least one beneficial owner or control person' }).max(20),
  })
  .refine((body) => body.beneficialOwners.reduce((sum, owner) => sum + owner.ownershipPercent, 0) <= 100, {
    message: 'ownership percentages add up to more than 100',
    path: ['beneficialOwners'],
  });
export type VerificationSubmission = z.infer<typeof verificationSubmissionSchema>;

export const DECISIONS = ['approve', 'reject', 'request_changes'] as const;
export type Decision = (typeof DECISIONS)[number];

export const decisionSchema = z
  .strictObject({ decision: z.enum(DECISIONS), reason: text(2000).optional() })
  .refine((body) => body.decision === 'approve' || body.reason !== undefined, { message: 'a reason is required to reject or request changes', path: ['reason'] });
export type DecisionRequest = z.infer<typeof decisionSchema>;

export const reviewQueueQuerySchema = z.strictObject({
  state: z.enum(['pending', 'in_review']).optional(),
  minAgeDays: z.coerce.number().int().min(0).max(3650).optional().describe('only verifications waiting at least this many days'),
  sanctionsStatus: z.enum(['not_run', 'clear', 'potential_match', 'match']).optional(),
  riskStatus: z.enum(['not_run', 'approve', 'monitor', 'manual_review', 'block']).optional(),
  ...pageQuerySchema,
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuerySchema>;

const requirementsSchema = z.object({
  currently_due: z.array(z.string()),
  eventually_due: z.array(z.string()),
  past_due: z.array(z.string()),
  pending_verification: z.array(z.string()),
  errors: z.array(z.object({ code: z.string(), requirement: z.string(), reason: z.string() })),
  current_deadline: z.string().nullable(),
  disabled_reason: z.string().nullable(),
});

export const verificationViewSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  state: z.enum(VERIFICATION_STATES),
  legalName: z.string(),
  ein: z.string().describe('masked: **-***6789'),
  businessAddress: addressSchema,
  contactEmail: z.string(),
  expectedAnnualVolumeCents: z.number(),
  beneficialOwners: z.array(z.object({ id: z.uuid(), fullName: z.string(), dateOfBirth: z.string(), ownershipPercent: z.number() })),
  fourEyes: z.object({ required: z.boolean(), approvals: z.array(z.object({ officerId: z.string(), decidedAt: z.string() })), awaitingSecondApproval: z.boolean() }),
  decisions: z.array(z.object({ decision: z.enum(DECISIONS), officerId: z.string(), reason: z.string().nullable(), round: z.number(), decidedAt: z.string() })),
  requirements: requirementsSchema,
  sanctionsStatus: z.string(),
  riskStatus: z.string(),
  submittedAt: z.string(),
  reviewDeadline: z.string(),
  decidedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type VerificationView = z.infer<typeof verificationViewSchema>;

export const queueItemSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  legalName: z.string(),
  state: z.enum(VERIFICATION_STATES),
  submittedAt: z.string(),
  waitingDays: z.number(),
  overdue: z.boolean(),
  fourEyesRequired: z.boolean(),
  approvals: z.number(),
  sanctionsStatus: z.string(),
  riskStatus: z.string(),
});
export const reviewQueueSchema = z.object({ items: z.array(queueItemSchema), nextCursor: z.string().nullable(), overdueCount: z.number() });
export type ReviewQueueItem = z.infer<typeof queueItemSchema>;

export const verificationListSchema = z.object({ items: z.array(verificationViewSchema) });

export const payoutEligibilitySchema = z.object({
  eligible: z.boolean(),
  disabled_reason: z.string().nullable(),
  requirements_due: z.array(z.string()),
});
export type PayoutEligibility = z.infer<typeof payoutEligibilitySchema>;
