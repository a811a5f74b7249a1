import { createHash } from 'node:crypto';
import type { FlagName } from './flag-names';
import { type FlagOverride, type FlagOverrideSnapshot, type FlagRule, overrideKey } from './flag-override';

export type FlagSource = 'environment' | 'override' | 'tenant-override';

/** Who a flag is evaluated for. `instanceId` stands in for service-wide flags (shedding, bulkheads). */
export interface FlagSubject {
  tenantId?: string;
  userId?: string;
  instanceId: string;
}

export interface FlagResolution {
  value: boolean;
  source: FlagSource;
  /** True when a percentage rollout decided the value. */
  split: boolean;
}

/**
 * Precedence: the caller's tenant override, then the override for everyone, then the environment.
 * A rollout buckets by the most specific stable id: within a tenant override by user (a tenant's
 * users join one by one), otherwise by tenant (a tenant's users see the same thing), and for
 * service-wide flags by instance (a share of the replicas).
 */
export function resolveFlag(flag: FlagName, environmentValue: boolean, overrides: FlagOverrideSnapshot, subject: FlagSubject): FlagResolution {
  const tenantOverride = subject.tenantId === undefined ? undefined : overrides.get(overrideKey(flag, subject.tenantId));
  if (tenantOverride !== undefined) {
    return apply(tenantOverride, 'tenant-override', flag, subject.userId ?? subject.tenantId ?? subject.instanceId);
  }
  const globalOverride = overrides.get(overrideKey(flag, null));
  if (globalOverride !== undefined) {
    return apply(globalOverride, 'override', flag, subject.tenantId ?? subject.userId ?? subject.instanceId);
  }
  return { value: environmentValue, source: 'environment', split: false };
}

function apply(override: FlagOverride, source: FlagSource, flag: FlagName, bucketKey: string): FlagResolution {
  const rule: FlagRule = override.rule;
  if ('enabled' in rule) return { value: rule.enabled, source, split: false };
  return { value: rolloutBucket(flag, bucketKey) < rule.rolloutPercent, source, split: true };
}

/**
 * A stable position in [0, 100) for `key` under `flag`: the same id always lands in the same place,
 * so raising a rollout from 10 to 20% keeps the first 10% on. The flag name is hashed in so that
 * different flags roll out to different subsets.
 */
export function rolloutBucket(flag: FlagName, key: string): number {
  const hash = createHash('sha256').update(`${flag}:${key}`).digest();
  return (hash.readUInt32BE(0) / 2 ** 32) * 100;
}
