import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../config/app-config';
import { type ListVersionRow, SanctionsListRepository } from '../lists/sanctions-list.repository';
import { SanctionsNameIndex } from '../matching/sanctions-name.index';
import { SanctionsMatcher } from '../matching/sanctions.matcher';
import { listsKeyOf, type LoadedListVersion, type SanctionsSnapshot, snapshotOf } from './sanctions-snapshot';

/**
 * This instance's in-memory view of the active list versions. Built from PostgreSQL at boot, then
 * kept current by polling the active version ids every SANCTIONS_LIST_POLL_INTERVAL_MS (polling,
 * like the feature flags, works without Redis and cannot miss a change across a reconnect), and at
 * once after an import this instance ran. A new version is indexed beside the old one and the
 * snapshot reference swapped whole; unchanged versions keep their index.
 */
@Injectable()
export class ActiveSanctionsLists implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('SanctionsLists');
  private readonly repository = new SanctionsListRepository();
  private readonly pollIntervalMs: number;
  private readonly matchThresholds: AppConfig['sanctions']['matchThresholds'];
  private snapshot: SanctionsSnapshot | null = null;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastError = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    const sanctions = config.get('sanctions', { infer: true });
    this.pollIntervalMs = sanctions.listPollIntervalMs;
    this.matchThresholds = sanctions.matchThresholds;
  }

  /** The lists to screen against now; null until a list has been imported. */
  current(): SanctionsSnapshot | null {
    return this.snapshot;
  }

  /**
   * The lists `key` names, once this instance has loaded them (a job may run before this instance's
   * poll noticed its activation); undefined when a later activation has replaced them. Throws when
   * they are still the active ones but could not be loaded here, so the job asking is retried.
   */
  async snapshotFor(key: string): Promise<SanctionsSnapshot | undefined> {
    if (this.snapshot?.key !== key) await this.refresh();
    if (this.snapshot?.key === key) return this.snapshot;
    if (listsKeyOf(await this.repository.activeVersions(this.dataSource.manager)) !== key) return undefined;
    throw new Error(`The active sanctions lists ${key} could not be loaded on this instance`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.pollIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Loads newly activated versions, if any; concurrent callers share the run in flight. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load()
      .then(() => {
        this.lastError = '';
      })
      .catch((error: unknown) => {
        // Keep serving the lists already loaded; say so once per distinct failure, not every poll.
        const message = error instanceof Error ? error.message : String(error);
        if (message !== this.lastError) this.logger.warn(`Cannot refresh the sanctions lists (keeping the loaded ones): ${message}`);
        this.lastError = message;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const active = await this.repository.activeVersions(this.dataSource.manager);
    if (listsKeyOf(active) === (this.snapshot?.key ?? '')) return;
    const loaded = new Map((this.snapshot?.versions ?? []).map((version) => [version.id, version]));
    const versions: LoadedListVersion[] = [];
    for (const row of active) versions.push(loaded.get(row.id) ?? (await this.index(row)));
    this.snapshot = versions.length === 0 ? null : snapshotOf(versions);
  }

  private async index(row: ListVersionRow): Promise<LoadedListVersion> {
    const startedAt = performance.now();
    const entries = await this.repository.entriesOf(this.dataSource.manager, row.id);
    // Pruned by later imports between our two reads: never index part of a version; next poll retries.
    if (entries.length !== row.entry_count) throw new Error(`version ${row.id} has ${entries.length} of its ${row.entry_count} entries`);
    const matcher = new SanctionsMatcher(SanctionsNameIndex.build(entries), this.matchThresholds);
    this.logger.log(`Indexed ${row.source} version ${row.id}: ${entries.length} entries in ${Math.round(performance.now() - startedAt)} ms`);
    return {
      id: row.id,
      source: row.source,
      listName: row.list_name,
      checksum: row.checksum,
      loadedAt: row.loaded_at,
      entryCount: entries.length,
      lists: new Set(entries.map((entry) => entry.list)),
      matcher,
    };
  }
}
