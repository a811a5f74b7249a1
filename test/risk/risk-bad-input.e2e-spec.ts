import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, Response } from 'light-my-request';
import type { Client } from 'pg';
import { expectProblem, invalidFields } from '../helpers/problem';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { snapshotTenant, superuserClient, type TenantSnapshot } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';

describe('bad input on the risk routes: 400 problem+json naming the field, and no row written', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let t: SeededTenant;
  let before: TenantSnapshot;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
    t = await seedTenant(app, 'risk-bad-input');
    before = await snapshotTenant(db, t.tenantId);
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  afterEach(async () => {
    expect(await snapshotTenant(db, t.tenantId)).toEqual(before);
  });

  const asManager = (request: InjectOptions): Promise<Response> => app.inject({ ...request, headers: { ...t.manager.headers, ...request.headers } });
  const flag = (payload: Record<string, unknown>) => asManager({ method: 'POST', url: '/api/v1/risk/flags', payload: { venueId: t.venueId, severity: 'high', category: 'chargebacks', description: 'x', ...payload } });
  const override = (payload: Record<string, unknown>) =>
    asManager({ method: 'POST', url: `/api/v1/venues/${t.venueId}/risk/override`, payload: { level: 'approve', reason: 'ok', expiresAt: '2099-01-01T00:00:00Z', ...payload } });

  it('refuses an assessment without a venue, with a bad venue id or extra fields', async () => {
    expect(invalidFields(await asManager({ method: 'POST', url: '/api/v1/risk/assessments', payload: {} }))).toEqual(['venueId']);
    expect(invalidFields(await asManager({ method: 'POST', url: '/api/v1/risk/assessments', payload: { venueId: '-bad venue' } }))).toEqual(['venueId']);
    expect(invalidFields(await asManager({ method: 'POST', url: '/api/v1/risk/assessments', payload: { venueId: t.venueId, score: 0 } }))).toEqual(['(root)']);
    expectProblem(await asManager({ method: 'POST', url: '/api/v1/risk/assessments', headers: { 'content-type': 'application/json' }, payload: '{"venueId": ' }), 400, 'REQUEST.INVALID');
  });

  it('refuses flags with an unknown severity, a bad category, an empty description or extra fields', async () => {
    expect(invalidFields(await flag({ severity: 'severe' }))).toEqual(['severity']);
    expect(invalidFields(await flag({ category: 'Has Spaces' }))).toEqual(['category']);
    expect(invalidFields(await flag({ description: '   ' }))).toEqual(['description']);
    expect(invalidFields(await flag({ status: 'resolved' }))).toEqual(['(root)']);
  });

  it('refuses bad flag queries, cursors and resolutions', async () => {
    expect(invalidFields(await asManager({ method: 'GET', url: '/api/v1/risk/flags?status=closed' }))).toEqual(['status']);
    expect(invalidFields(await asManager({ method: 'GET', url: '/api/v1/risk/flags?severity=urgent&limit=0' })).sort()).toEqual(['limit', 'severity']);
    expect(invalidFields(await asManager({ method: 'GET', url: '/api/v1/risk/flags?tenantId=other' }))).toEqual(['(root)']);
    const forged = Buffer.from(JSON.stringify({ key: '1; DROP TABLE risk_flags', id: 'x' })).toString('base64url');
    expectProblem(await asManager({ method: 'GET', url: `/api/v1/risk/flags?cursor=${forged}` }), 400, 'REQUEST.INVALID_CURSOR');
    expect(invalidFields(await asManager({ method: 'POST', url: '/api/v1/risk/flags/not-a-uuid/resolve', payload: { note: 'x' } }))).toEqual(['id']);
    expect(invalidFields(await asManager({ method: 'POST', url: `/api/v1/risk/flags/${t.flagId}/resolve`, payload: {} }))).toEqual(['note']);
  });

  it('refuses overrides with an unknown level, no reason or a malformed expiry', async () => {
    expect(invalidFields(await override({ level: 'ignore' }))).toEqual(['level']);
    expect(invalidFields(await override({ reason: '' }))).toEqual(['reason']);
    expect(invalidFields(await override({ expiresAt: 'next week' }))).toEqual(['expiresAt']);
    expectProblem(await override({ expiresAt: '2001-01-01T00:00:00Z' }), 422, 'RISK.OVERRIDE_EXPIRY_PAST');
  });

  it('refuses bad weights and a bad history query', async () => {
    const weight = (points: unknown) => asManager({ method: 'PUT', url: '/api/v1/risk/weights/screening.match', payload: { points } });
    expect(invalidFields(await weight(-1))).toEqual(['points']);
    expect(invalidFields(await weight(101))).toEqual(['points']);
    expect(invalidFields(await weight(2.5))).toEqual(['points']);
    expect(invalidFields(await asManager({ method: 'PUT', url: '/api/v1/risk/weights/Not%20A%20Key', payload: { points: 1 } }))).toEqual(['factorKey']);
    expect(invalidFields(await asManager({ method: 'GET', url: `/api/v1/venues/${t.venueId}/risk?limit=500` }))).toEqual(['limit']);
  });
});
