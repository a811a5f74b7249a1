import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_TOKEN, isolatedRedisPrefix, startGuardedApp } from './helpers/guarded-app';
import { auditRows, migratedScratchDatabase, storedOverrides } from './helpers/flag-store';
import { callerOf } from './helpers/tokens';
import { redisAvailable, TEST_RATE_LIMIT } from './helpers/test-app';

const admin = { 'x-internal-token': ADMIN_TOKEN };

async function setOverride(app: NestFastifyApplication, url: string, payload: object, requestId: string) {
  return app.inject({ method: 'PUT', url, headers: { ...admin, 'x-request-id': requestId }, payload });
}

/** Polls `probe` until it answers `expected`; returns how long that took. */
async function timeUntil(probe: () => Promise<number>, expected: number, timeoutMs = 5_000): Promise<number> {
  const startedAt = performance.now();
  while (performance.now() - startedAt < timeoutMs) {
    if ((await probe()) === expected) return performance.now() - startedAt;
    await sleep(25);
  }
  throw new Error(`did not answer ${expected} within ${timeoutMs} ms`);
}

(redisAvailable ? describe : describe.skip)('feature flag admin API (overrides in PostgreSQL, changes announced through Redis)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;

  beforeAll(async () => {
    database = await migratedScratchDatabase('flags');
    app = await startGuardedApp({ DATABASE_URL: database.url, REDIS_KEY_PREFIX: isolatedRedisPrefix() });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  afterEach(async () => {
    for (const flag of ['LOAD_SHEDDING', 'BULKHEAD_PATTERN']) await app.inject({ method: 'DELETE', url: `/admin/flags/${flag}/override`, headers: admin });
  });

  it('answers a route whose flag is off exactly like a route that does not exist', async () => {
    const hidden = await app.inject({ url: '/test/flagged?x=1', headers: { 'x-request-id': 'r1' } });
    const missing = await app.inject({ url: '/test/nowhere?x=1', headers: { 'x-request-id': 'r1' } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
    expect(hidden.json()).toEqual({ ...missing.json(), detail: missing.json().detail.replace('/test/nowhere', '/test/flagged'), instance: '/test/flagged' });
    expect(hidden.json()).toMatchObject({ status: 404, code: 'RESOURCE.NOT_FOUND' });
  });

  it('serves the route once an override turns the flag on, and records the override in PostgreSQL', async () => {
    const set = await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'flag-on-1');
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ flag: 'LOAD_SHEDDING', scope: 'service', environmentValue: false, effective: { value: true, source: 'override' } });
    expect((await app.inject('/test/flagged')).statusCode).toBe(200);
    expect(await storedOverrides(database.url)).toEqual([{ override_key: 'LOAD_SHEDDING', rule: { enabled: true } }]);
  });

  it('requires every flag of a route and answers 404 when any is off', async () => {
    await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'two-flags-1');
    expect((await app.inject('/test/two-flags')).statusCode).toBe(404);
    await setOverride(app, '/admin/flags/BULKHEAD_PATTERN/override', { enabled: true }, 'two-flags-2');
    expect((await app.inject('/test/two-flags')).statusCode).toBe(200);
  });

  it('hides a route before rate limiting counts it', async () => {
    const caller = { 'x-test-tenant': 'quota', 'x-test-user': 'u-quota' };
    const hidden = await app.inject({ url: '/test/flagged-limited', headers: caller });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.headers.ratelimit).toBeUndefined();
    await setOverride(app, '/admin/flags/BULKHEAD_PATTERN/override', { enabled: true }, 'quota-1');
    const shown = await app.inject({ url: '/test/flagged-limited', headers: caller });
    expect(shown.statusCode).toBe(200);
    // The first request this caller made that counted: the route was hidden before.
    expect(shown.headers.ratelimit).toMatch(new RegExp(`^"default";r=${TEST_RATE_LIMIT - 1};t=\\d+$`));
  });

  it('refuses a tenant override or a rollout of a service-wide flag with 422, writing nothing', async () => {
    for (const flag of ['LOAD_SHEDDING', 'METRICS_ENDPOINT', 'DETAILED_HEALTH_CHECKS', 'BULKHEAD_PATTERN']) {
      const forTenant = await setOverride(app, `/admin/flags/${flag}/tenants/acme/override`, { enabled: true }, `scope-tenant-${flag}`);
      expect(forTenant.statusCode).toBe(422);
      expect(forTenant.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(forTenant.json()).toMatchObject({ status: 422, code: 'FLAG.SCOPE_MISMATCH', detail: expect.stringContaining(flag) });
      const rollout = await setOverride(app, `/admin/flags/${flag}/override`, { rolloutPercent: 25 }, `scope-rollout-${flag}`);
      expect(rollout.json()).toMatchObject({ status: 422, code: 'FLAG.SCOPE_MISMATCH' });
      expect(await auditRows(database.url, `scope-tenant-${flag}`)).toEqual([]);
    }
    expect(await storedOverrides(database.url)).toEqual([]);
  });

  it('evaluates a service-wide flag the same for every caller', async () => {
    await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'same-for-all-1');
    expect((await app.inject({ url: '/test/flagged', headers: { 'x-test-tenant': 'acme' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/admin/flags?tenantId=acme&userId=u1', headers: admin })).json().flags[2].effective).toEqual({ value: true, reason: 'TARGETING_MATCH', source: 'override' });
  });

  it('lists every flag with its scope, effective value and where it comes from', async () => {
    await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'list-1');
    const listing = await app.inject({ url: '/admin/flags', headers: admin });
    expect(listing.statusCode).toBe(200);
    const body = listing.json();
    expect(body).toMatchObject({ store: 'postgresql', propagation: 'redis-pubsub' });
    expect(body.flags.map((flag: { flag: string }) => flag.flag)).toEqual(['DETAILED_HEALTH_CHECKS', 'METRICS_ENDPOINT', 'LOAD_SHEDDING', 'BULKHEAD_PATTERN']);
    expect(body.flags[2]).toMatchObject({ scope: 'service', environmentValue: false, effective: { value: true, source: 'override' }, override: { rule: { enabled: true } }, tenantOverrides: [] });
    expect(body.flags[3]).toMatchObject({ effective: { value: false, reason: 'STATIC', source: 'environment' }, override: null });
  });

  it('audits every change with the actor, the request id and the values before and after', async () => {
    await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: false }, 'audit-set-1');
    await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'audit-set-2');
    await app.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: { ...admin, 'x-request-id': 'audit-clear-1' } });
    expect(await auditRows(database.url, 'audit-set-2')).toEqual([
      { tenant_id: 'platform', actor: 'internal-token', action: 'feature_flag.override_set', entity_id: 'LOAD_SHEDDING', details: { scope: 'all-tenants', previous: { enabled: false }, next: { enabled: true } } },
    ]);
    expect(await auditRows(database.url, 'audit-clear-1')).toEqual([expect.objectContaining({ action: 'feature_flag.override_cleared', details: { scope: 'all-tenants', previous: { enabled: true }, next: null } })]);
  });

  it('takes the actor of a change from an admin JWT, and refuses other roles with 403', async () => {
    const operator = await callerOf(['admin'], { userId: 'operator-7' });
    const set = await app.inject({ method: 'PUT', url: '/admin/flags/LOAD_SHEDDING/override', headers: { ...operator.headers, 'x-request-id': 'jwt-admin-1', 'x-admin-actor': 'someone-else' }, payload: { enabled: true } });
    expect(set.statusCode).toBe(200);
    expect(await auditRows(database.url, 'jwt-admin-1')).toEqual([expect.objectContaining({ actor: 'operator-7', action: 'feature_flag.override_set' })]);
    const officer = await callerOf(['compliance_officer']);
    expect((await app.inject({ url: '/admin/flags', headers: officer.headers })).json()).toMatchObject({ status: 403, code: 'AUTH.FORBIDDEN' });
    const expired = await callerOf(['admin'], { expiresInSeconds: -120 });
    expect((await app.inject({ url: '/admin/flags', headers: expired.headers })).statusCode).toBe(401);
  });

  it('refuses the admin API without the internal token, and names bad requests', async () => {
    expect((await app.inject({ url: '/admin/flags' })).json()).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect((await app.inject({ url: '/admin/flags', headers: { 'x-internal-token': `${ADMIN_TOKEN}x` } })).statusCode).toBe(401);
    expect((await setOverride(app, '/admin/flags/NO_SUCH_FLAG/override', { enabled: true }, 'bad-1')).json()).toMatchObject({ status: 404, code: 'FLAG.UNKNOWN' });
    const invalid = await setOverride(app, '/admin/flags/LOAD_SHEDDING/override', { rolloutPercent: 140 }, 'bad-2');
    expect(invalid.json()).toMatchObject({ status: 400, code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field: expect.any(String) })] });
    const missing = await app.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: { ...admin, 'x-request-id': 'bad-3' } });
    expect(missing.json()).toMatchObject({ status: 404, code: 'FLAG.OVERRIDE_NOT_FOUND' });
    expect(await auditRows(database.url, 'bad-3')).toEqual([]);
  });

  it('counts evaluations by flag and result', async () => {
    await app.inject('/test/flagged');
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toMatch(/^feature_flag_evaluations_total\{flag="LOAD_SHEDDING",result="disabled"\} [1-9]\d*$/m);
  });
});

describe('feature flags without Redis (changes propagate by polling)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    database = await migratedScratchDatabase('flags_nored');
    const overrides = { REDIS_URL: undefined, DATABASE_URL: database.url };
    first = await startGuardedApp(overrides);
    second = await startGuardedApp(overrides);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await database?.drop();
  });

  it('stores the override and its audit entry in PostgreSQL and reaches a second instance within 2 s', async () => {
    expect((await second.inject('/test/flagged')).statusCode).toBe(404);
    const set = await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'pg-set-1');
    expect(set.statusCode).toBe(200);
    expect(await timeUntil(async () => (await second.inject('/test/flagged')).statusCode, 200)).toBeLessThan(2_000);
    expect((await first.inject({ url: '/admin/flags', headers: admin })).json()).toMatchObject({ store: 'postgresql', propagation: 'polling' });
    expect(await auditRows(database.url, 'pg-set-1')).toEqual([expect.objectContaining({ action: 'feature_flag.override_set', entity_id: 'LOAD_SHEDDING' })]);
    const cleared = await first.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin });
    expect(cleared.statusCode).toBe(204);
    expect(await timeUntil(async () => (await second.inject('/test/flagged')).statusCode, 404)).toBeLessThan(2_000);
  });
});
