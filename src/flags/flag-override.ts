import { z } from 'zod';
import { FLAG_NAMES, type FlagName } from './flag-names';

/** Tenant ids as the auth module will issue them; also what may appear in a storage key. */
export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be 1-64 letters, digits, dots, dashes or underscores' });

/** On or off for everyone in scope, or on for a stable share of them. */
export const flagRuleSchema = z.union([
  z.strictObject({ enabled: z.boolean() }),
  z.strictObject({ rolloutPercent: z.number().min(0).max(100) }),
]);
export type FlagRule = z.infer<typeof flagRuleSchema>;

/** A runtime override: for every caller (`tenantId` null) or for one tenant's callers. Stored as JSON. */
export const flagOverrideSchema = z.object({
  flag: z.enum(FLAG_NAMES as [FlagName, ...FlagName[]]),
  tenantId: tenantIdSchema.nullable(),
  rule: flagRuleSchema,
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type FlagOverride = z.infer<typeof flagOverrideSchema>;

/** Overrides by `overrideKey`; replaced as a whole on every refresh, never mutated. */
export type FlagOverrideSnapshot = ReadonlyMap<string, FlagOverride>;

export function overrideKey(flag: FlagName, tenantId: string | null): string {
  return tenantId === null ? flag : `${flag}@${tenantId}`;
}

export function snapshotOf(overrides: Iterable<FlagOverride>): FlagOverrideSnapshot {
  return new Map([...overrides].map((override) => [overrideKey(override.flag, override.tenantId), override]));
}
