import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCompiled } from './helpers/cli';
import { ADMIN_TOKEN, isolatedRedisPrefix, startGuardedApp } from './helpers/guarded-app';
import { TEST_RATE_LIMIT } from './helpers/test-app';
import { redisAvailable } from './helpers/test-app';
import { requireEnv, scratchDatabase } from './helpers/test-database';

const admin = { 'x-internal-token': ADMIN_TOKEN, 'x-admin-actor': 'alice@example.com' };

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

async function auditRows(databaseUrl: string, requestId: string): Promise<Array<{ tenant_id: string; actor: string; action: string; entity_id: string; details: { scope: string; previous: unknown; next: unknown } }>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query('SELECT tenant_id, actor, action, entity_id, details FROM audit_log WHERE request_id = $1 ORDER BY id', [requestId])).rows;
  } finally {
    await client.end();
  }
}

(redisAvailable ? describe : describe.skip)('feature flags with overrides in Redis', () => {
  const prefix = isolatedRedisPrefix();
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    // One after the other: prom-client's default metrics are registered once per process.
    first = await startGuardedApp({ REDIS_KEY_PREFIX: prefix });
    second = await startGuardedApp({ REDIS_KEY_PREFIX: prefix });
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
  });

  afterEach(async () => {
    for (const url of ['/admin/flags/LOAD_SHEDDING/override', '/admin/flags/LOAD_SHEDDING/tenants/acme/override']) {
      await first.inject({ method: 'DELETE', url, headers: admin });
    }
    await timeUntil(async () => (await second.inject('/test/flagged')).statusCode, 404);
  });

  it('answers a route whose flag is off exactly like a route that does not exist', async () => {
    const hidden = await first.inject({ url: '/test/flagged?x=1', headers: { 'x-request-id': 'r1' } });
    const missing = await first.inject({ url: '/test/nowhere?x=1', headers: { 'x-request-id': 'r1' } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
    expect(hidden.json()).toEqual({ ...missing.json(), detail: missing.json().detail.replace('/test/nowhere', '/test/flagged'), instance: '/test/flagged' });
    expect(hidden.json()).toMatchObject({ status: 404, code: 'RESOURCE.NOT_FOUND' });
  });

  it('serves the route once an override turns the flag on, on a second instance within 2 s', async () => {
    const set = await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'flag-on-1');
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ flag: 'LOAD_SHEDDING', environmentValue: false, effective: { value: true, source: 'override' } });
    expect((await first.inject('/test/flagged')).statusCode).toBe(200);
    const seenAfterMs = await timeUntil(async () => (await second.inject('/test/flagged')).statusCode, 200);
    expect(seenAfterMs).toBeLessThan(2_000);
    const stored = new Redis(requireEnv('TEST_REDIS_URL'), { keyPrefix: prefix });
    try {
      expect(JSON.parse((await stored.hget('feature-flags:overrides', 'LOAD_SHEDDING')) ?? '{}')).toMatchObject({ rule: { enabled: true }, updatedBy: 'internal-token:alice@example.com' });
    } finally {
      stored.disconnect();
    }
  });

  it('requires every flag of a route and answers 404 when any is off', async () => {
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'two-flags-1');
    expect((await first.inject('/test/two-flags')).statusCode).toBe(404);
    await setOverride(first, '/admin/flags/BULKHEAD_PATTERN/override', { enabled: true }, 'two-flags-2');
    expect((await first.inject('/test/two-flags')).statusCode).toBe(200);
    await first.inject({ method: 'DELETE', url: '/admin/flags/BULKHEAD_PATTERN/override', headers: admin });
  });

  it('hides a route before rate limiting counts it', async () => {
    const caller = { 'x-test-tenant': 'quota', 'x-test-user': 'u-quota' };
    const hidden = await first.inject({ url: '/test/flagged-limited', headers: caller });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.headers.ratelimit).toBeUndefined();
    await setOverride(first, '/admin/flags/BULKHEAD_PATTERN/tenants/quota/override', { enabled: true }, 'quota-1');
    const shown = await first.inject({ url: '/test/flagged-limited', headers: caller });
    expect(shown.statusCode).toBe(200);
    // The first request this caller made that counted: the route was hidden before.
    expect(shown.headers.ratelimit).toMatch(new RegExp(`^"default";r=${TEST_RATE_LIMIT - 1};t=\\d+$`));
    await first.inject({ method: 'DELETE', url: '/admin/flags/BULKHEAD_PATTERN/tenants/quota/override', headers: admin });
  });

  it('turns a flag on for one tenant only', async () => {
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/tenants/acme/override', { enabled: true }, 'tenant-on-1');
    expect((await first.inject({ url: '/test/flagged', headers: { 'x-test-tenant': 'acme' } })).statusCode).toBe(200);
    expect((await first.inject({ url: '/test/flagged', headers: { 'x-test-tenant': 'globex' } })).statusCode).toBe(404);
    expect((await first.inject('/test/flagged')).statusCode).toBe(404);
  });

  it('rolls a flag out to a stable share of one tenant’s users', async () => {
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/tenants/acme/override', { rolloutPercent: 50 }, 'rollout-1');
    const users = Array.from({ length: 40 }, (_, index) => `user-${index}`);
    const answers = async () => Promise.all(users.map(async (user) => (await first.inject({ url: '/test/flagged', headers: { 'x-test-tenant': 'acme', 'x-test-user': user } })).statusCode));
    const once = await answers();
    expect(new Set(once)).toEqual(new Set([200, 404]));
    expect(await answers()).toEqual(once);
  });

  it('lists every flag with its effective value and where it comes from', async () => {
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/tenants/acme/override', { enabled: true }, 'list-1');
    const forEveryone = await first.inject({ url: '/admin/flags', headers: admin });
    expect(forEveryone.statusCode).toBe(200);
    const body = forEveryone.json();
    expect(body.store).toBe('redis');
    expect(body.flags.map((flag: { flag: string }) => flag.flag)).toEqual(['DETAILED_HEALTH_CHECKS', 'METRICS_ENDPOINT', 'LOAD_SHEDDING', 'BULKHEAD_PATTERN']);
    expect(body.flags[2]).toMatchObject({ environmentValue: false, effective: { value: false, source: 'environment' }, override: null, tenantOverrides: [{ tenantId: 'acme', rule: { enabled: true } }] });
    const forAcme = (await first.inject({ url: '/admin/flags?tenantId=acme', headers: admin })).json();
    expect(forAcme.flags[2].effective).toEqual({ value: true, reason: 'TARGETING_MATCH', source: 'tenant-override' });
  });

  it('audits every change with the actor, the request id and the values before and after', async () => {
    const databaseUrl = requireEnv('TEST_APP_DATABASE_URL');
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { rolloutPercent: 10 }, 'audit-set-1');
    await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { enabled: true }, 'audit-set-2');
    await first.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: { ...admin, 'x-request-id': 'audit-clear-1' } });
    expect(await auditRows(databaseUrl, 'audit-set-2')).toEqual([
      { tenant_id: 'platform', actor: 'internal-token:alice@example.com', action: 'feature_flag.override_set', entity_id: 'LOAD_SHEDDING', details: { scope: 'all-tenants', previous: { rolloutPercent: 10 }, next: { enabled: true } } },
    ]);
    expect(await auditRows(databaseUrl, 'audit-clear-1')).toEqual([expect.objectContaining({ action: 'feature_flag.override_cleared', details: { scope: 'all-tenants', previous: { enabled: true }, next: null } })]);
  });

  it('refuses the admin API without the internal token, and names bad requests', async () => {
    expect((await first.inject({ url: '/admin/flags' })).json()).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect((await first.inject({ url: '/admin/flags', headers: { 'x-internal-token': `${ADMIN_TOKEN}x` } })).statusCode).toBe(401);
    expect((await setOverride(first, '/admin/flags/NO_SUCH_FLAG/override', { enabled: true }, 'bad-1')).json()).toMatchObject({ status: 404, code: 'FLAG.UNKNOWN' });
    const invalid = await setOverride(first, '/admin/flags/LOAD_SHEDDING/override', { rolloutPercent: 140 }, 'bad-2');
    expect(invalid.json()).toMatchObject({ status: 400, code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field: expect.any(String) })] });
    expect((await first.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin })).json()).toMatchObject({ status: 404, code: 'FLAG.OVERRIDE_NOT_FOUND' });
  });

  it('counts evaluations by flag and result', async () => {
    await first.inject('/test/flagged');
    const metrics = (await first.inject('/metrics')).body;
    expect(metrics).toMatch(/^feature_flag_evaluations_total\{flag="LOAD_SHEDDING",result="disabled"\} [1-9]\d*$/m);
  });
});

describe('feature flags without Redis (overrides in PostgreSQL)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    // A database of its own: overrides in app_settings would otherwise reach other suites' apps.
    database = await scratchDatabase('flags');
    const migrated = await runCompiled('database/migration.cli.js', ['run'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    if (migrated.code !== 0) throw new Error(migrated.stderr);
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
    expect((await first.inject({ url: '/admin/flags', headers: admin })).json().store).toBe('postgresql');
    expect(await auditRows(database.url, 'pg-set-1')).toEqual([expect.objectContaining({ action: 'feature_flag.override_set', entity_id: 'LOAD_SHEDDING' })]);
    const cleared = await first.inject({ method: 'DELETE', url: '/admin/flags/LOAD_SHEDDING/override', headers: admin });
    expect(cleared.statusCode).toBe(204);
    expect(await timeUntil(async () => (await second.inject('/test/flagged')).statusCode, 404)).toBeLessThan(2_000);
  });
});
