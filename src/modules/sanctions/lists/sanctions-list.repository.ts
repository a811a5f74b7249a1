import type { EntityManager } from 'typeorm';
import type { SanctionsListEntry, SanctionsSource } from './sanctions-list-entry.model';

export interface ListVersionRow {
  id: string;
  source: SanctionsSource;
  list_name: string;
  checksum: string;
  entry_count: number;
  alias_count: number;
  loaded_at: Date;
}

export interface NewListVersion {
  source: SanctionsSource;
  listName: string;
  checksum: string;
  entryCount: number;
  aliasCount: number;
  counts: object;
  loadedBy: string;
}

/** Rows per INSERT: one jsonb parameter each, so a batch is one round trip whatever its width. */
const INSERT_BATCH = 1_000;

/**
 * The only code that touches sanctions_list_versions and sanctions_list_entries. The tables are
 * global (no tenant): importers write them as the login role; instances read them to build their
 * in-memory index. Takes the EntityManager of the caller's transaction, or the DataSource's.
 */
export class SanctionsListRepository {
  async activeVersions(db: EntityManager): Promise<ListVersionRow[]> {
    return db.query(
      `SELECT id, source, list_name, checksum, entry_count, alias_count, loaded_at
       FROM sanctions_list_versions WHERE active ORDER BY source`,
    );
  }

  /** Serialises imports of one source across processes and pods until the transaction ends. */
  async lockSource(db: EntityManager, source: SanctionsSource): Promise<void> {
    await db.query("SELECT pg_advisory_xact_lock(hashtext('sanctions-import:' || $1))", [source]);
  }

  /**
   * Serialises activations of all sources until the transaction ends. Taken after activating, it
   * makes the active versions read next include every activation committed before (read
   * committed): two sources imported at once never both queue a re-screen for a combination of
   * lists that never becomes active.
   */
  async lockActivations(db: EntityManager): Promise<void> {
    await db.query("SELECT pg_advisory_xact_lock(hashtext('sanctions-activation'))");
  }

  async insertVersion(db: EntityManager, version: NewListVersion): Promise<string> {
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO sanctions_list_versions (source, list_name, checksum, entry_count, alias_count, counts, loaded_by)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING id`,
      [version.source, version.listName, version.checksum, version.entryCount, version.aliasCount, JSON.stringify(version.counts), version.loadedBy],
    );
    return (rows[0] as { id: string }).id;
  }

  async insertEntries(db: EntityManager, versionId: string, entries: readonly SanctionsListEntry[], progress: (done: number) => void): Promise<void> {
    for (let start = 0; start < entries.length; start += INSERT_BATCH) {
      const batch = entries.slice(start, start + INSERT_BATCH).map((entry) => ({
        source_id: entry.sourceId,
        list_name: entry.list,
        entry_type: entry.type,
        primary_name: entry.primaryName,
        aliases: entry.aliases,
        programs: entry.programs,
        countries: entry.countries,
        dates_of_birth: entry.datesOfBirth,
        identifiers: entry.identifiers,
        addresses: entry.addresses,
        remarks: entry.remarks,
        content_hash: entry.contentHash,
      }));
      await db.query(
        `INSERT INTO sanctions_list_entries (version_id, source_id, list_name, entry_type, primary_name, aliases, programs, countries,
           dates_of_birth, identifiers, addresses, remarks, content_hash)
         SELECT $1, e.source_id, e.list_name, e.entry_type, e.primary_name, e.aliases, e.programs, e.countries,
           e.dates_of_birth, e.identifiers, e.addresses, e.remarks, e.content_hash
         FROM jsonb_to_recordset($2::jsonb) AS e(source_id text, list_name text, entry_type text, primary_name text, aliases jsonb,
           programs text[], countries text[], dates_of_birth text[], identifiers jsonb, addresses jsonb, remarks text, content_hash text)`,
        [versionId, JSON.stringify(batch)],
      );
      progress(Math.min(start + INSERT_BATCH, entries.length));
    }
  }

  /** Deactivates the source's current version and activates `versionId`: call inside one transaction. */
  async activate(db: EntityManager, source: SanctionsSource, versionId: string): Promise<void> {
    await db.query('UPDATE sanctions_list_versions SET active = false WHERE source = $1 AND active', [source]);
    await db.query('UPDATE sanctions_list_versions SET active = true WHERE id = $1', [versionId]);
  }

  /** Keeps the active version and the one before it (to compare or roll back); drops older ones. */
  async pruneOldVersions(db: EntityManager, source: SanctionsSource): Promise<number> {
    const rows: Array<{ pruned: number }> = await db.query(
      `WITH pruned AS (
         DELETE FROM sanctions_list_versions WHERE source = $1 AND NOT active AND id NOT IN (
           SELECT id FROM sanctions_list_versions WHERE source = $1 AND NOT active ORDER BY loaded_at DESC LIMIT 1)
         RETURNING id)
       SELECT count(*)::int AS pruned FROM pruned`,
      [source],
    );
    return rows[0]?.pruned ?? 0;
  }

  async entriesOf(db: EntityManager, versionId: string): Promise<SanctionsListEntry[]> {
    const rows: Array<{ source: SanctionsListEntry['source']; entry: Omit<SanctionsListEntry, 'source'> }> = await db.query(
      `SELECT v.source, jsonb_build_object('list', e.list_name, 'sourceId', e.source_id, 'type', e.entry_type, 'primaryName', e.primary_name,
         'aliases', e.aliases, 'programs', e.programs, 'countries', e.countries, 'datesOfBirth', e.dates_of_birth,
         'identifiers', e.identifiers, 'addresses', e.addresses, 'remarks', e.remarks, 'contentHash', e.content_hash) AS entry
       FROM sanctions_list_entries e JOIN sanctions_list_versions v ON v.id = e.version_id
       WHERE e.version_id = $1 ORDER BY e.source_id`,
      [versionId],
    );
    return rows.map((row) => ({ source: row.source, ...row.entry }));
  }
}
