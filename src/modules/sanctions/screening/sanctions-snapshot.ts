import type { SanctionsSource } from '../lists/sanctions-list-entry.model';
import type { SanctionsMatcher } from '../matching/sanctions.matcher';

/** One active list version as this instance holds it: its rows in PostgreSQL, indexed in memory. */
export interface LoadedListVersion {
  id: string;
  source: SanctionsSource;
  listName: string;
  checksum: string;
  loadedAt: Date;
  entryCount: number;
  /** The `list` names of its entries ('OFAC-SDN', or OpenSanctions dataset names). */
  lists: ReadonlySet<string>;
  matcher: SanctionsMatcher;
}

/**
 * Everything a screening reads, frozen: ActiveSanctionsLists replaces the whole object when any
 * source activates a new version, and a screening takes one reference at its start, so it never
 * sees half a list or a mix of two versions.
 */
export interface SanctionsSnapshot {
  versions: readonly LoadedListVersion[];
  /** The version ids, sorted and joined: what screenings store and cache keys carry. */
  key: string;
  lists: ReadonlySet<string>;
}

export function snapshotOf(versions: LoadedListVersion[]): SanctionsSnapshot {
  const sorted = [...versions].sort(bySource);
  return Object.freeze({
    versions: Object.freeze(sorted),
    key: listsKeyOf(sorted),
    lists: new Set(sorted.flatMap((version) => [...version.lists])),
  });
}

/** A snapshot's `key` from the active versions' rows: what an import's activation hands its re-screen job. */
export function listsKeyOf(versions: ReadonlyArray<{ id: string; source: SanctionsSource }>): string {
  return [...versions].sort(bySource).map((version) => version.id).join(',');
}

function bySource(a: { source: SanctionsSource }, b: { source: SanctionsSource }): number {
  return a.source.localeCompare(b.source);
}
