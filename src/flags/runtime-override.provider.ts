import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ErrorCode, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails, StandardResolutionReasons } from '@openfeature/server-sdk';
import type { AppConfig } from '../config/app-config';
import { isFlagName } from './flag-names';
import { FlagOverrideRegistry } from './flag-override.registry';
import { resolveFlag } from './flag-resolution';

/**
 * Our OpenFeature provider: the environment's values (AppConfig.flags, per-environment defaults
 * from the deployment guide) under the runtime overrides every replica shares. Flags are boolean;
 * other types answer TYPE_MISMATCH. The evaluation context carries `tenantId`, `userId` and
 * `instanceId` (see FeatureFlagsService.contextFor).
 */
@Injectable()
export class RuntimeOverrideProvider implements Provider {
  readonly metadata = { name: 'compliance-service environment + runtime overrides' } as const;
  readonly runsOn = 'server' as const;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly registry: FlagOverrideRegistry,
  ) {}

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    if (!isFlagName(flagKey)) {
      return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.FLAG_NOT_FOUND };
    }
    const resolution = resolveFlag(flagKey, this.config.get('flags', { infer: true })[flagKey], this.registry.snapshot, {
      tenantId: stringOf(context.tenantId),
      userId: stringOf(context.userId),
      instanceId: stringOf(context.instanceId) ?? 'unknown',
    });
    return {
      value: resolution.value,
      variant: resolution.value ? 'on' : 'off',
      reason: resolution.split
        ? StandardResolutionReasons.SPLIT
        : resolution.source === 'environment'
          ? StandardResolutionReasons.STATIC
          : StandardResolutionReasons.TARGETING_MATCH,
      flagMetadata: { source: resolution.source },
    };
  }

  resolveStringEvaluation(_flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve(typeMismatch(defaultValue));
  }

  resolveNumberEvaluation(_flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(typeMismatch(defaultValue));
  }

  resolveObjectEvaluation<T extends JsonValue>(_flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return Promise.resolve(typeMismatch(defaultValue));
  }
}

function typeMismatch<T>(defaultValue: T): ResolutionDetails<T> {
  return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
