/** The processors whose reports this service reads (migration 1797500300000 checks the same list). */
export type PaymentProcessor = 'stripe';

const PROCESSOR_NAMES: Record<PaymentProcessor, string> = { stripe: 'Stripe' };

/** Checklist requirements met at a processor, not here: `processor.stripe`. */
const PROCESSOR_REQUIREMENT_PREFIX = 'processor.';

/**
 * What a payment processor reported about a venue's connected account (Stripe: an
 * `account.updated` event). Requirement names only (`external_account`, `individual.id_number`),
 * never their values.
 */
export interface ProcessorAccountReport {
  processor: PaymentProcessor;
  accountId: string;
  /** When the processor created the event (ISO 8601): a report older than the stored one is superseded. */
  reportedAt: string;
  chargesEnabled: boolean | null;
  payoutsEnabled: boolean | null;
  detailsSubmitted: boolean | null;
  currentlyDue: string[];
  pastDue: string[];
  disabledReason: string | null;
}

/** The part of the latest report that can restrict payouts: what is stored and the checklist reads. */
export interface ProcessorAccountState {
  processor: PaymentProcessor;
  accountId: string;
  payoutsEnabled: boolean | null;
  disabledReason: string | null;
  pastDue: readonly string[];
}

export function processorRequirement(processor: PaymentProcessor): string {
  return `${PROCESSOR_REQUIREMENT_PREFIX}${processor}`;
}

export function isProcessorRequirement(requirement: string): boolean {
  return requirement.startsWith(PROCESSOR_REQUIREMENT_PREFIX);
}

/**
 * Why the processor restricts the account, for the officer; null when it does not. Restricted
 * means a `disabled_reason` (Stripe sets one whenever it disables the account), requirements past
 * due (Stripe disables capabilities over those), or payouts switched off. `currently_due` alone is
 * not: its deadline has not passed yet.
 */
export function processorRestriction(account: ProcessorAccountState | undefined): string | null {
  if (account === undefined) return null;
  const causes: string[] = [];
  if (account.disabledReason !== null) causes.push(account.disabledReason);
  if (account.pastDue.length > 0) causes.push(`past due: ${[...account.pastDue].sort().join(', ')}`);
  if (account.payoutsEnabled === false) causes.push('payouts disabled');
  return causes.length === 0 ? null : `${PROCESSOR_NAMES[account.processor]} restricted the connected account ${account.accountId}: ${causes.join('; ')}`;
}
