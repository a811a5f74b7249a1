import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import { IntervalWarning } from '../common/interval-warning';
import type { FlagName } from './flag-names';
import { type FlagOverride, type FlagOverrideSnapshot, type FlagRule, overrideKey, snapshotOf } from './flag-override';
import { FlagOverrideStore } from './flag-override.store';

/** An unreachable store at boot must not hold the start up: the environment values apply meanwhile. */
const INITIAL_LOAD_TIMEOUT_MS = 2_000;
const WARNING_INTERVAL_MS = 60_000;

export interface OverrideChange {
  actor: string;
  requestId: string;
}

/**
 * This instance's copy of the runtime overrides. Every instance re-reads the store on a fixed
 * interval (FLAG_REFRESH_INTERVAL_MS, 1 s), so a change made on any replica applies everywhere
 * within about that long, with no restart. Polling rather than Redis pub/sub: one mechanism for both
 * stores, nothing is missed across a reconnect, and one small read per second per replica is
 * negligible. While the store is unreachable the last copy stays in force.
 */
@Injectable()
export class FlagOverrideRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FeatureFlags');
  private readonly warning = new IntervalWarning(this.logger, WARNING_INTERVAL_MS);
  private readonly listeners = new Set<() => void>();
  private current: FlagOverrideSnapshot = new Map();
  private fingerprint = '[]';
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: FlagOverrideStore,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  get snapshot(): FlagOverrideSnapshot {
    return this.current;
  }

  get backend(): FlagOverrideStore['backend'] {
    return this.store.backend;
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
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the store; concurrent calls share one read. Never throws. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async set(flag: FlagName, tenantId: string | null, rule: FlagRule, change: OverrideChange): Promise<FlagOverride> {
    const previous = this.current.get(overrideKey(flag, tenantId));
    const override: FlagOverride = { flag, tenantId, rule, updatedBy: change.actor, updatedAt: new Date().toISOString() };
    await this.store.save(override, { action: 'feature_flag.override_set', flag, tenantId, ...change, previous: previous?.rule ?? null, next: rule });
    this.logger.log({ flag, tenantId, rule, previous: previous?.rule ?? null, ...change }, `Feature flag override set: ${overrideKey(flag, tenantId)}`);
    this.replace([...this.withoutKey(overrideKey(flag, tenantId)), override]);
    return override;
  }

  /** False when there was no such override. */
  async clear(flag: FlagName, tenantId: string | null, change: OverrideChange): Promise<boolean> {
    const previous = this.current.get(overrideKey(flag, tenantId));
    if (previous === undefined) return false;
    await this.store.remove(previous, { action: 'feature_flag.override_cleared', flag, tenantId, ...change, previous: previous.rule, next: null });
    this.logger.log({ flag, tenantId, previous: previous.rule, ...change }, `Feature flag override cleared: ${overrideKey(flag, tenantId)}`);
    this.replace(this.withoutKey(overrideKey(flag, tenantId)));
    return true;
  }

  private async load(): Promise<void> {
    try {
      const overrides = await this.store.loadAll((raw) => this.warning.warn(`Ignoring a stored flag override that does not parse: ${raw.slice(0, 200)}`));
      this.warning.recovered(`Feature flag overrides readable again from ${this.store.backend}`);
      this.replace(overrides);
    } catch (error) {
      this.warning.warn(`Cannot read feature flag overrides from ${this.store.backend}, keeping the last known ones: ${(error as Error).message}`);
    }
  }

  private withoutKey(key: string): FlagOverride[] {
    return [...this.current].filter(([existing]) => existing !== key).map(([, override]) => override);
  }

  private replace(overrides: FlagOverride[]): void {
    const fingerprint = JSON.stringify([...overrides].sort((a, b) => overrideKey(a.flag, a.tenantId).localeCompare(overrideKey(b.flag, b.tenantId))));
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.current = snapshotOf(overrides);
    for (const listener of this.listeners) listener();
  }
}
