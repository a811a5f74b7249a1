import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IntervalWarning } from '../common/interval-warning';
import type { AppConfig } from '../config/app-config';
import { FlagChangeNotifier } from './flag-change.notifier';
import type { FlagName } from './flag-names';
import { type FlagOverride, type FlagOverrideSnapshot, type FlagRule, overrideKey, snapshotOf } from './flag-override';
import { FlagOverrideRepository, type StoredOverrides } from './flag-override.repository';

/** An unreachable database at boot must not hold the start up: the environment values apply meanwhile. */
const INITIAL_LOAD_TIMEOUT_MS = 2_000;
const WARNING_INTERVAL_MS = 60_000;

export interface OverrideChange {
  actor: string;
  requestId: string;
}

/**
 * This instance's copy of the runtime overrides, whose record is PostgreSQL. A change reaches every
 * replica through a Redis notification (milliseconds), and through polling every
 * FLAG_REFRESH_INTERVAL_MS, which covers a Redis outage and notifications lost across a reconnect.
 *
 * Copies are ordered by generation, the database's count of committed changes: a read that started
 * before a change (a poll racing an admin's `set`) can finish after it, and must not put the old
 * overrides back. While the database is unreachable the last copy stays in force.
 */
@Injectable()
export class FlagOverrideRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FeatureFlags');
  private readonly warning = new IntervalWarning(this.logger, WARNING_INTERVAL_MS);
  private readonly listeners = new Set<() => void>();
  private current: FlagOverrideSnapshot = new Map();
  private generation = -1;
  /** Counts applied copies; tells a read that started before the last apply from one that started after. */
  private applied = 0;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(
    private readonly repository: FlagOverrideRepository,
    private readonly notifier: FlagChangeNotifier,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  get snapshot(): FlagOverrideSnapshot {
    return this.current;
  }

  get propagation(): FlagChangeNotifier['mechanism'] {
    return this.notifier.mechanism;
  }

  /** Called after every change of the snapshot, from any replica. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  async onModuleInit(): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.refresh(), new Promise<void>((resolve) => (timeout = setTimeout(resolve, INITIAL_LOAD_TIMEOUT_MS)))]);
    clearTimeout(timeout);
    this.timer = setInterval(() => void this.refresh(), this.config.get('featureFlags', { infer: true }).refreshIntervalMs);
    this.timer.unref();
    this.notifier.listen({
      changed: (generation) => {
        if (generation > this.generation) void this.refresh();
      },
      resubscribed: () => void this.refresh(),
    });
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * Re-reads the overrides; never throws. A call while a read is in flight schedules one more read
   * after it: the read in flight may have started before the change that prompted the call.
   */
  refresh(): Promise<void> {
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.loadUntilCurrent().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async set(flag: FlagName, tenantId: string | null, rule: FlagRule, change: OverrideChange): Promise<void> {
    const { previous, after } = await this.repository.save({ flag, tenantId, ...change }, rule);
    this.logger.log({ flag, tenantId, rule, previous, requestId: change.requestId }, `Feature flag override set: ${overrideKey(flag, tenantId)}`);
    this.committed(after);
  }

  /** False when there was no such override, judged by the database rather than this replica's copy. */
  async clear(flag: FlagName, tenantId: string | null, change: OverrideChange): Promise<boolean> {
    const result = await this.repository.remove({ flag, tenantId, ...change });
    if (result === null) return false;
    this.logger.log({ flag, tenantId, previous: result.previous, requestId: change.requestId }, `Feature flag override cleared: ${overrideKey(flag, tenantId)}`);
    this.committed(result.after);
    return true;
  }

  /** Applies a change this instance committed, then notifies the others (after commit: Redis is never the record). */
  private committed(after: StoredOverrides): void {
    this.apply(after, false);
    void this.notifier.publish(after.generation);
  }

  private async loadUntilCurrent(): Promise<void> {
    do {
      this.refreshAgain = false;
      await this.load();
    } while (this.refreshAgain);
  }

  private async load(): Promise<void> {
    const appliedBeforeRead = this.applied;
    try {
      const stored = await this.repository.load((raw) => this.warning.warn(`Ignoring a stored flag override that does not parse: ${raw.slice(0, 200)}`));
      this.warning.recovered('Feature flag overrides readable again from PostgreSQL');
      this.apply(stored, appliedBeforeRead === this.applied);
    } catch (error) {
      this.warning.warn(`Cannot read feature flag overrides from PostgreSQL, keeping the last known ones (${(error as Error).name})`);
    }
  }

  /**
   * A newer generation always wins; an older one only when nothing was applied since its read
   * started (the database itself went back, e.g. restored from a backup), never a stale read.
   */
  private apply(stored: StoredOverrides, nothingAppliedSinceReadStarted: boolean): void {
    const newer = stored.generation > this.generation;
    const databaseWentBack = stored.generation < this.generation && nothingAppliedSinceReadStarted;
    if (!newer && !databaseWentBack) return;
    this.generation = stored.generation;
    this.applied += 1;
    this.current = snapshotOf(stored.overrides);
    for (const listener of this.listeners) listener();
  }
}
