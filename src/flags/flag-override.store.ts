import type { FlagAuditEntry } from './flag-audit.repository';
import type { FlagOverride } from './flag-override';

/**
 * Where runtime overrides live: Redis when configured, else PostgreSQL. Every write records its
 * audit entry in PostgreSQL and fails whole when either part fails. Entries that no longer parse
 * (a flag since removed) are skipped by `loadAll`, which reports them through `onInvalid`.
 */
export abstract class FlagOverrideStore {
  abstract readonly backend: 'redis' | 'postgresql';
  abstract loadAll(onInvalid: (raw: string) => void): Promise<FlagOverride[]>;
  abstract save(override: FlagOverride, audit: FlagAuditEntry): Promise<void>;
  abstract remove(override: FlagOverride, audit: FlagAuditEntry): Promise<void>;
}
