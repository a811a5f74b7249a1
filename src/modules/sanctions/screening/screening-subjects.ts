import { NameNormalizer } from '../matching/name.normalizer';

const normalizer = new NameNormalizer();

/** Spellings that normalise alike are one subject, so a decision on "Müller, Hans" holds for "HANS MULLER". */
function normalizedName(name: string): string {
  return normalizer.normalize(name).tokens.join(' ');
}

/**
 * Who a screening was about, the key decisions on hits are remembered by. A venue's parties are
 * keyed by venue and name (owner rows are replaced on every resubmission; the venue and the
 * person are what stay); an ad-hoc name is one subject per tenant.
 */
export const ScreeningSubjects = {
  venueBusiness: (venueId: string, legalName: string): string => `venue:${venueId}:business:${normalizedName(legalName)}`,
  venueOwner: (venueId: string, fullName: string): string => `venue:${venueId}:owner:${normalizedName(fullName)}`,
  adhoc: (name: string): string => `adhoc:${normalizedName(name)}`,
} as const;
