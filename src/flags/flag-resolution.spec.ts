import fc from 'fast-check';
import { type FlagOverride, snapshotOf } from './flag-override';
import { resolveFlag, rolloutBucket } from './flag-resolution';

const override = (rule: FlagOverride['rule'], tenantId: string | null = null): FlagOverride => ({
  flag: 'LOAD_SHEDDING',
  tenantId,
  rule,
  updatedBy: 'test',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('resolveFlag', () => {
  const subject = { tenantId: 'tenant-a', userId: 'user-1', instanceId: 'pod-1' };

  it('uses the environment value when no override exists', () => {
    expect(resolveFlag('LOAD_SHEDDING', true, snapshotOf([]), subject)).toEqual({ value: true, source: 'environment', split: false });
  });

  it('lets a tenant override win over the override for everyone', () => {
    const snapshot = snapshotOf([override({ enabled: false }), override({ enabled: true }, 'tenant-a')]);
    expect(resolveFlag('LOAD_SHEDDING', false, snapshot, subject)).toMatchObject({ value: true, source: 'tenant-override' });
    expect(resolveFlag('LOAD_SHEDDING', true, snapshot, { ...subject, tenantId: 'tenant-b' })).toMatchObject({ value: false, source: 'override' });
  });

  it('ignores another tenant’s override for a caller without a tenant', () => {
    const snapshot = snapshotOf([override({ enabled: true }, 'tenant-a')]);
    expect(resolveFlag('LOAD_SHEDDING', false, snapshot, { instanceId: 'pod-1' })).toMatchObject({ value: false, source: 'environment' });
  });

  it('rolls out to roughly the configured share of tenants, the same ones every time', () => {
    const snapshot = snapshotOf([override({ rolloutPercent: 30 })]);
    const tenants = Array.from({ length: 4_000 }, (_, index) => `tenant-${index}`);
    const on = tenants.filter((tenantId) => resolveFlag('LOAD_SHEDDING', false, snapshot, { tenantId, instanceId: 'pod' }).value);
    expect(on.length / tenants.length).toBeGreaterThan(0.27);
    expect(on.length / tenants.length).toBeLessThan(0.33);
    const again = tenants.filter((tenantId) => resolveFlag('LOAD_SHEDDING', false, snapshot, { tenantId, instanceId: 'pod' }).value);
    expect(again).toEqual(on);
  });

  it('keeps everyone who was in when a rollout grows', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (key, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const inLow = resolveFlag('LOAD_SHEDDING', false, snapshotOf([override({ rolloutPercent: low })]), { tenantId: key, instanceId: 'x' }).value;
        const inHigh = resolveFlag('LOAD_SHEDDING', false, snapshotOf([override({ rolloutPercent: high })]), { tenantId: key, instanceId: 'x' }).value;
        return !inLow || inHigh;
      }),
    );
  });

  it('buckets a tenant override by user, so a tenant’s users join one by one', () => {
    const snapshot = snapshotOf([override({ rolloutPercent: 50 }, 'tenant-a')]);
    const users = Array.from({ length: 200 }, (_, index) => `user-${index}`);
    const values = new Set(users.map((userId) => resolveFlag('LOAD_SHEDDING', false, snapshot, { tenantId: 'tenant-a', userId, instanceId: 'pod' }).value));
    expect(values).toEqual(new Set([true, false]));
  });

  it('buckets differently per flag', () => {
    const keys = Array.from({ length: 100 }, (_, index) => `k${index}`);
    const differ = keys.filter((key) => (rolloutBucket('LOAD_SHEDDING', key) < 50) !== (rolloutBucket('BULKHEAD_PATTERN', key) < 50));
    expect(differ.length).toBeGreaterThan(20);
  });
});
