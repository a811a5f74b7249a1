import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { craftedToken } from '../helpers/crafted-tokens';
import { expectProblem } from '../helpers/problem';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { snapshotTenant, superuserClient, type TenantSnapshot } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';

describe('callers the API refuses, and what they could have changed: nothing', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let t: SeededTenant;
  let before: TenantSnapshot;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
    t = await seedTenant(app, 'refusals');
    before = await snapshotTenant(db, t.tenantId);
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  afterEach(async () => {
    expect(await snapshotTenant(db, t.tenantId)).toEqual(before);
  });

  const reject = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/api/v1/verifications/${t.actionRequiredId}/decisions`, headers, payload: { decision: 'reject', reason: 'not yours' } });

  it.each([
    ['an expired token', { tenantId: 'SEEDED', expiresIn: -120 }, /expired/],
    ['a token signed with another secret', { tenantId: 'SEEDED', secret: 'another-secret-0123456789abcdef0123456789' }, /signature/],
    ['a token of another issuer', { tenantId: 'SEEDED', issuer: 'someone-else' }, /iss/],
    ['a token for another audience', { tenantId: 'SEEDED', audience: 'payments-service' }, /aud/],
    ['a token with no role this service knows', { tenantId: 'SEEDED', roles: ['superhero'] }, /no role/],
    ['a token whose tenant_id is not a UUID', { tenantId: 'tenant-a' }, /tenant_id/],
  ])('answers 401 to %s', async (_name, options, detail) => {
    const token = await craftedToken({ ...options, tenantId: options.tenantId === 'SEEDED' ? t.tenantId : options.tenantId });
    const response = await reject(token);
    expect(expectProblem(response, 401, 'AUTH.UNAUTHENTICATED').detail).toMatch(detail);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('answers 401 to a malformed Authorization header', async () => {
    expectProblem(await reject({ authorization: 'Basic dXNlcjpwYXNz' }), 401, 'AUTH.UNAUTHENTICATED');
    expectProblem(await reject({ authorization: 'Bearer not-a-jwt' }), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('answers 403 to a caller of the tenant whose role may not decide', async () => {
    for (const roles of [['venue_owner'], ['service']] as const) {
      const caller = await callerOf([...roles], { tenantId: t.tenantId, venueIds: [t.actionRequiredVenueId] });
      expectProblem(await reject(caller.headers), 403, 'AUTH.FORBIDDEN');
    }
    const officer = await callerOf(['compliance_officer'], { tenantId: t.tenantId });
    expectProblem(await app.inject({ method: 'PUT', url: '/api/v1/settings/four-eyes', headers: officer.headers, payload: { enabled: false, minAnnualVolumeCents: null } }), 403, 'AUTH.FORBIDDEN');
    const owner = await callerOf(['venue_owner'], { tenantId: t.tenantId, venueIds: [t.venueId] });
    expectProblem(await app.inject({ method: 'GET', url: `/api/v1/venues/${t.venueId}/payout-eligibility`, headers: owner.headers }), 403, 'AUTH.FORBIDDEN');
  });

  it('answers 404 to a caller of another tenant', async () => {
    const stranger = await callerOf(['admin']);
    expectProblem(await reject(stranger.headers), 404, 'RESOURCE.NOT_FOUND');
  });

  it('answers 404 to a venue owner touching a venue its token does not list', async () => {
    const otherOwner = await callerOf(['venue_owner'], { tenantId: t.tenantId, venueIds: ['venue-somewhere-else'] });
    const routes = [
      { method: 'GET' as const, url: `/api/v1/verifications/${t.verificationId}` },
      { method: 'GET' as const, url: `/api/v1/venues/${t.venueId}/verifications` },
      { method: 'GET' as const, url: `/api/v1/venues/${t.venueId}/documents` },
      { method: 'GET' as const, url: `/api/v1/documents/${t.documentIds[0]}` },
      { method: 'GET' as const, url: `/api/v1/documents/${t.documentIds[0]}/content` },
      { method: 'PUT' as const, url: `/api/v1/verifications/${t.actionRequiredId}`, payload: submission() },
      { method: 'POST' as const, url: `/api/v1/venues/${t.venueId}/verifications`, payload: submission() },
    ];
    for (const route of routes) {
      const response = await app.inject({ ...route, headers: otherOwner.headers });
      expect({ url: route.url, status: response.statusCode }).toEqual({ url: route.url, status: 404 });
      expectProblem(response, 404, 'RESOURCE.NOT_FOUND');
    }
  });
});
