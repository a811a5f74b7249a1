import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { codeOf, isBackendUnavailable } from './backend-unavailable';
import type { FlagListQuery } from './dto/flag-override.dto';
import { FeatureFlagsService } from './feature-flags.service';
import { FLAG_DESCRIPTIONS, FLAG_NAMES, FLAG_SCOPES, type FlagName, type FlagScope, isFlagName } from './flag-names';
import type { FlagOverride, FlagRule } from './flag-override';
import { type OverrideChange, FlagOverrideRegistry } from './flag-override.registry';
import { FlagOverrideNotFoundError, FlagScopeError, FlagStoreFailedError, FlagStoreUnavailableError, UnknownFlagError } from './flags.errors';

export interface FlagState {
  flag: FlagName;
  description: string;
  scope: FlagScope;
  environmentValue: boolean;
  /** For the caller of the query (tenantId/userId), or service-wide without one. */
  effective: { value: boolean; reason: string; source: string };
  override: FlagOverride | null;
  tenantOverrides: FlagOverride[];
}

export interface FlagListing {
  /** The record of overrides, and how a change reaches the other replicas. */
  store: 'postgresql';
  propagation: 'redis-pubsub' | 'polling';
  flags: FlagState[];
}

/** The rules of the admin API: what a flag's state is, and how overrides are set and cleared. */
@Injectable()
export class FlagAdminService {
  private readonly logger = new Logger('FeatureFlags');

  constructor(
    private readonly flags: FeatureFlagsService,
    private readonly registry: FlagOverrideRegistry,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async list(query: FlagListQuery = {}): Promise<FlagListing> {
    return { store: 'postgresql', propagation: this.registry.propagation, flags: await Promise.all(FLAG_NAMES.map((flag) => this.stateOf(flag, query))) };
  }

  async setOverride(name: string, tenantId: string | null, rule: FlagRule, change: OverrideChange): Promise<FlagState> {
    const flag = requireFlag(name);
    if (FLAG_SCOPES[flag] === 'service' && tenantId !== null) {
      throw new FlagScopeError(`${flag} is evaluated for the whole service, never for a tenant: set an override for everyone instead`);
    }
    if (FLAG_SCOPES[flag] === 'service' && 'rolloutPercent' in rule) {
      throw new FlagScopeError(`${flag} is evaluated for the whole service, with no caller to roll out to: set {"enabled": true|false}`);
    }
    await this.writing(change, () => this.registry.set(flag, tenantId, rule, change));
    return this.stateOf(flag, tenantId === null ? {} : { tenantId });
  }

  /** Works for any stored override, including ones that no longer fit the flag's scope. */
  async clearOverride(name: string, tenantId: string | null, change: OverrideChange): Promise<void> {
    const flag = requireFlag(name);
    const cleared = await this.writing(change, () => this.registry.clear(flag, tenantId, change));
    if (!cleared) throw new FlagOverrideNotFoundError(`${flag} has no override${tenantId === null ? ' for all tenants' : ` for tenant ${tenantId}`}`);
  }

  private async stateOf(flag: FlagName, query: FlagListQuery): Promise<FlagState> {
    const details = await this.flags.evaluate(flag, this.flags.contextFor(flag, query));
    const overrides = [...this.registry.snapshot.values()].filter((override) => override.flag === flag);
    return {
      flag,
      description: FLAG_DESCRIPTIONS[flag],
      scope: FLAG_SCOPES[flag],
      environmentValue: this.config.get('flags', { infer: true })[flag],
      effective: { value: details.value, reason: details.reason ?? 'UNKNOWN', source: String(details.flagMetadata.source ?? 'environment') },
      override: overrides.find((override) => override.tenantId === null) ?? null,
      tenantOverrides: overrides.filter((override) => override.tenantId !== null),
    };
  }

  /**
   * Only an unreachable database is a 503 (retry later). Anything else is a 500, whose cause is
   * logged by class and code: driver messages can quote the values written, so neither the log
   * line nor the response carries them.
   */
  private async writing<T>(change: OverrideChange, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (isBackendUnavailable(error)) {
        throw new FlagStoreUnavailableError('The override was not changed: PostgreSQL is unavailable; try again later');
      }
      const errorClass = error instanceof Error ? error.constructor.name : typeof error;
      const driverError = error instanceof Error ? (error as { driverError?: unknown }).driverError : undefined;
      this.logger.error({ errorClass, code: codeOf(error) ?? codeOf(driverError), requestId: change.requestId }, 'Feature flag override write failed');
      throw new FlagStoreFailedError('The override was not changed: the store failed; the cause is logged under this request id');
    }
  }
}

function requireFlag(name: string): FlagName {
  if (!isFlagName(name)) throw new UnknownFlagError(name);
  return name;
}
