import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import type { FlagListQuery } from './dto/flag-override.dto';
import { FeatureFlagsService } from './feature-flags.service';
import { FLAG_DESCRIPTIONS, FLAG_NAMES, type FlagName, isFlagName } from './flag-names';
import type { FlagOverride, FlagRule } from './flag-override';
import { type OverrideChange, FlagOverrideRegistry } from './flag-override.registry';
import { FlagOverrideNotFoundError, FlagStoreUnavailableError, UnknownFlagError } from './flags.errors';

export interface FlagState {
  flag: FlagName;
  description: string;
  environmentValue: boolean;
  /** For the caller of the query (tenantId/userId), or service-wide without one. */
  effective: { value: boolean; reason: string; source: string };
  override: FlagOverride | null;
  tenantOverrides: FlagOverride[];
}

export interface FlagListing {
  store: 'redis' | 'postgresql';
  flags: FlagState[];
}

/** The rules of the admin API: what a flag's state is, and how overrides are set and cleared. */
@Injectable()
export class FlagAdminService {
  constructor(
    private readonly flags: FeatureFlagsService,
    private readonly registry: FlagOverrideRegistry,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async list(query: FlagListQuery = {}): Promise<FlagListing> {
    return { store: this.registry.backend, flags: await Promise.all(FLAG_NAMES.map((flag) => this.stateOf(flag, query))) };
  }

  async setOverride(name: string, tenantId: string | null, rule: FlagRule, change: OverrideChange): Promise<FlagState> {
    const flag = requireFlag(name);
    await this.writing(() => this.registry.set(flag, tenantId, rule, change));
    return this.stateOf(flag, tenantId === null ? {} : { tenantId });
  }

  async clearOverride(name: string, tenantId: string | null, change: OverrideChange): Promise<void> {
    const flag = requireFlag(name);
    const cleared = await this.writing(() => this.registry.clear(flag, tenantId, change));
    if (!cleared) throw new FlagOverrideNotFoundError(`${flag} has no override${tenantId === null ? ' for all tenants' : ` for tenant ${tenantId}`}`);
  }

  private async stateOf(flag: FlagName, query: FlagListQuery): Promise<FlagState> {
    const details = await this.flags.evaluate(flag, this.flags.contextFor(query));
    const overrides = [...this.registry.snapshot.values()].filter((override) => override.flag === flag);
    return {
      flag,
      description: FLAG_DESCRIPTIONS[flag],
      environmentValue: this.config.get('flags', { infer: true })[flag],
      effective: { value: details.value, reason: details.reason ?? 'UNKNOWN', source: String(details.flagMetadata.source ?? 'environment') },
      override: overrides.find((override) => override.tenantId === null) ?? null,
      tenantOverrides: overrides.filter((override) => override.tenantId !== null),
    };
  }

  private async writing<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      throw new FlagStoreUnavailableError(`The override was not changed: ${this.registry.backend} failed (${(error as Error).message})`);
    }
  }
}

function requireFlag(name: string): FlagName {
  if (!isFlagName(name)) throw new UnknownFlagError(name);
  return name;
}
