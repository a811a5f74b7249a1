import { createHash } from 'node:crypto';
import type { SanctionsListEntry, UnhashedSanctionsListEntry } from './sanctions-list-entry.model';

/**
 * Seals an entry with the sha256 of its canonical JSON (keys sorted at every depth, undefined
 * dropped), so the importer can tell "unchanged", "changed" and "new" apart between two list
 * versions and re-screen only the customers a changed entry could affect — a re-screening hook
 * watchman and yente users both ask for.
 */
export class SanctionsEntryHasher {
  seal(entry: UnhashedSanctionsListEntry): SanctionsListEntry {
    return { ...entry, contentHash: this.hash(entry) };
  }

  hash(entry: UnhashedSanctionsListEntry): string {
    return createHash('sha256').update(SanctionsEntryHasher.canonicalJson(entry)).digest('hex');
  }

  static canonicalJson(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map((v) => SanctionsEntryHasher.canonicalJson(v)).join(',')}]`;
    const record = value as Record<string, unknown>;
    const parts = Object.keys(record)
      .filter((k) => record[k] !== undefined && k !== 'contentHash')
      .sort()
      .map((k) => `${JSON.stringify(k)}:${SanctionsEntryHasher.canonicalJson(record[k])}`);
    return `{${parts.join(',')}}`;
  }
}
