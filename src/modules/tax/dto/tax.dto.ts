import { z } from 'zod';
import { venueIdSchema } from '../../venues/dto/venue-params.dto';
import { isReversal, TAX_TRANSACTION_KINDS, type TaxTransactionKind } from '../tax-totals';

/** Ids of the sender's system (a Stripe charge id, a sale id): URL-safe, at most 200 characters. */
export const externalIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/, { message: 'must be an id of letters, digits, _ . : / - (at most 200)' });

/** Larger than any ticketing payment, small enough to stay an exact JavaScript integer when summed. */
const MAX_ABS_AMOUNT_MINOR = 1e13;

export const taxYearSchema = z.coerce.number().int().min(2000).max(2100);

export const recordTaxTransactionSchema = z
  .strictObject({
    externalId: externalIdSchema,
    venueId: venueIdSchema,
    occurredAt: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T18:30:00Z' })
      .refine((value) => {
        const year = new Date(value).getUTCFullYear();
        return year >= 2000 && year <= 2100;
      }, { message: 'must be between the years 2000 and 2100' }),
    amount: z.number().int({ message: 'must be an integer amount in minor units (cents)' }).min(-MAX_ABS_AMOUNT_MINOR).max(MAX_ABS_AMOUNT_MINOR),
    currency: z.string().superRefine((value, context) => {
      if (!/^[A-Z]{3}$/.test(value)) context.addIssue({ code: 'custom', message: 'must be an ISO 4217 code in capitals, e.g. USD' });
      else if (value !== 'USD') context.addIssue({ code: 'custom', message: 'only USD is tracked: Form 1099-K reports U.S. dollars' });
    }),
    kind: z.enum(TAX_TRANSACTION_KINDS as [TaxTransactionKind, ...TaxTransactionKind[]]),
    originalExternalId: externalIdSchema.optional().describe('the charge a refund or chargeback reverses; required for them, refused otherwise'),
  })
  .superRefine((body, context) => {
    if (isReversal(body.kind)) {
      if (body.amount >= 0) context.addIssue({ code: 'custom', path: ['amount'], message: `must be negative for a ${body.kind}` });
      if (body.originalExternalId === undefined) context.addIssue({ code: 'custom', path: ['originalExternalId'], message: `is required for a ${body.kind}` });
    } else {
      if (body.amount <= 0) context.addIssue({ code: 'custom', path: ['amount'], message: `must be positive for a ${body.kind}` });
      if (body.originalExternalId !== undefined) context.addIssue({ code: 'custom', path: ['originalExternalId'], message: `only refunds and chargebacks reverse a charge` });
    }
  });
export type RecordTaxTransaction = z.infer<typeof recordTaxTransactionSchema>;

export const taxTransactionViewSchema = z.object({
  id: z.uuid(),
  externalId: z.string(),
  venueId: z.string(),
  occurredAt: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  kind: z.enum(TAX_TRANSACTION_KINDS as [TaxTransactionKind, ...TaxTransactionKind[]]),
  originalExternalId: z.string().nullable(),
  source: z.enum(['api', 'stripe', 'platform']),
  recordedAt: z.string(),
});
export type TaxTransactionView = z.infer<typeof taxTransactionViewSchema>;

export const summaryQuerySchema = z.strictObject({ year: taxYearSchema.optional().describe('calendar year (UTC); the current one when omitted') });
export type SummaryQuery = z.infer<typeof summaryQuerySchema>;

export const yearParamsSchema = z.strictObject({ year: taxYearSchema });
export type YearParams = z.infer<typeof yearParamsSchema>;

const thresholdStatusSchema = z.object({
  jurisdiction: z.string().describe('US = federal; US-XX = a state'),
  grossThresholdMinor: z.number(),
  transactionThreshold: z.number().nullable(),
  grossExceeded: z.boolean(),
  transactionsExceeded: z.boolean(),
  met: z.boolean(),
  source: z.string(),
});

const monthlySchema = z.array(z.number()).length(12).describe('gross per month, January first (boxes 5a-5l)');

export const taxSummarySchema = z.object({
  venueId: z.string(),
  taxYear: z.number(),
  currency: z.literal('USD'),
  grossMinor: z.number().describe('charges; refunds and chargebacks do not reduce it (26 CFR 1.6050W-1(a)(6))'),
  transactions: z.number().describe('charges; refunds, chargebacks and transfers are not counted'),
  reversedMinor: z.number().describe('refunds and chargebacks, as a positive amount'),
  netMinor: z.number().describe('gross − reversed, for reconciliation; not a form value'),
  monthlyGrossMinor: monthlySchema,
  thresholds: z.array(thresholdStatusSchema),
  requiresForm: z.boolean(),
});
export type TaxSummary = z.infer<typeof taxSummarySchema>;

export const reportItemSchema = z.object({
  venueId: z.string(),
  legalName: z.string().nullable(),
  grossMinor: z.number(),
  transactions: z.number(),
  reversedMinor: z.number(),
  jurisdictions: z.array(z.string()).describe('the thresholds met'),
  formId: z.uuid().nullable().describe('the latest generated form (a correction when there is one)'),
});
export type ReportItem = z.infer<typeof reportItemSchema>;
export const taxReportSchema = z.object({ taxYear: z.number(), currency: z.literal('USD'), items: z.array(reportItemSchema) });
export type TaxReport = z.infer<typeof taxReportSchema>;

export const generateResultSchema = z.object({
  taxYear: z.number(),
  qualifying: z.number().describe('venues meeting a threshold'),
  generated: z.number(),
  alreadyGenerated: z.number(),
  skippedWithoutPayee: z.number().describe('qualifying venues that never submitted a legal name and EIN'),
});
export type GenerateResult = z.infer<typeof generateResultSchema>;

export const taxFormViewSchema = z.object({
  id: z.uuid(),
  venueId: z.string(),
  taxYear: z.number(),
  form: z.literal('1099-K'),
  correctsId: z.uuid().nullable(),
  legalName: z.string(),
  tin: z.string().describe('masked: **-***6789'),
  grossMinor: z.number(),
  transactions: z.number(),
  monthlyGrossMinor: monthlySchema,
  jurisdictions: z.array(z.string()),
  generatedBy: z.string(),
  generatedAt: z.string(),
});
export type TaxFormView = z.infer<typeof taxFormViewSchema>;
export const taxFormListSchema = z.object({ items: z.array(taxFormViewSchema) });
