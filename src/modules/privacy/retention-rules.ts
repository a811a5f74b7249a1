import type { RetentionConfig } from '../../config/app-config';

/**
 * Why an erased subject's record is kept (restricted, GDPR Art. 18) instead of deleted. A US
 * obligation is not an Art. 17(3)(b) "legal obligation under Union or Member State law", but it
 * supports a legitimate interest and legal claims (Art. 17(3)(e)): restriction, not deletion, is
 * the proportionate answer; the basis is stored on the row (`restriction_basis`).
 */
export const RETENTION_RULES = {
  /** 31 CFR 501.601 (as amended in 2025): records of OFAC-related transactions, 10 years. */
  ofac: { source: '31 CFR 501.601 (OFAC recordkeeping, 10 years as amended in 2025)', years: (config: RetentionConfig) => config.ofacYears },
  /** 26 U.S.C. 6501(a) / IRS Publication 583: records supporting a return, 3 years in general. */
  irs_records: { source: '26 U.S.C. 6501(a); IRS Publication 583 (3 years)', years: (config: RetentionConfig) => config.irsRecordsYears },
  /** IRS "How long should I keep records": information-return copies, 4 years when backup withholding applied. */
  irs_form_copies: { source: 'IRS recordkeeping for information returns: copies of Form 1099 and the payee\'s W-9, 4 years', years: (config: RetentionConfig) => config.irsFormCopiesYears },
} as const;

export type RetentionRule = keyof typeof RETENTION_RULES;
