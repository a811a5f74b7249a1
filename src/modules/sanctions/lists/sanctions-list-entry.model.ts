/**
 * The one shape every list parser produces and the matcher consumes. It is plain data (no class,
 * no methods) so the integrator can store it as a JSONB row per list version and rebuild the
 * in-memory index from PostgreSQL without re-reading the source files.
 */
export const SANCTIONS_SOURCES = ['ofac_sdn', 'opensanctions'] as const;
export type SanctionsSource = (typeof SANCTIONS_SOURCES)[number];

export type SanctionsEntryType = 'individual' | 'entity' | 'vessel' | 'aircraft';

/**
 * `weak_aka` is OFAC's "low quality a.k.a.": OFAC publishes them inside the remarks (a.k.a. 'X')
 * and says they are not expected to be screened on their own (OFAC FAQ 91). watchman ignored them,
 * which its users report as misses; we index them but cap their score (see SanctionsMatcher).
 */
export type SanctionsAliasKind = 'aka' | 'fka' | 'nka' | 'weak_aka';

export interface SanctionsAlias {
  name: string;
  kind: SanctionsAliasKind;
  quality?: 'strong' | 'weak';
}

export interface SanctionsIdentifier {
  /** As the source words it: 'Passport', 'National ID No.', 'Cedula No.', 'SWIFT/BIC', ... */
  type: string;
  value: string;
  /** Issuing country when the source gives one, as ISO 3166-1 alpha-2 when we can resolve it. */
  country?: string;
}

export interface SanctionsAddress {
  street?: string;
  /** OFAC puts city, state/province and postal code in one column. */
  cityStatePostal?: string;
  country?: string;
  remarks?: string;
}

export interface SanctionsListEntry {
  source: SanctionsSource;
  /** 'OFAC-SDN', or the OpenSanctions dataset name ('eu_fsf', 'un_sc_sanctions', ...). */
  list: string;
  /** OFAC ent_num as a string; the OpenSanctions entity id. Stable across list versions. */
  sourceId: string;
  type: SanctionsEntryType;
  primaryName: string;
  aliases: SanctionsAlias[];
  programs: string[];
  /** ISO 3166-1 alpha-2 where resolvable, else the upper-cased name the source used. */
  countries: string[];
  /** ISO 8601 partial dates: '1962', '1962-05', '1962-05-04'. */
  datesOfBirth: string[];
  identifiers: SanctionsIdentifier[];
  addresses: SanctionsAddress[];
  remarks: string;
  /** sha256 (hex) of the canonical JSON of every other field: a changed entry changes its hash. */
  contentHash: string;
}

/** An entry before its hash is computed; parsers build this, SanctionsEntryHasher seals it. */
export type UnhashedSanctionsListEntry = Omit<SanctionsListEntry, 'contentHash'>;
