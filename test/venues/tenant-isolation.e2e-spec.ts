import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, Response } from 'light-my-request';
import type { Client } from 'pg';
import { ROLES } from '../../src/auth/roles';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { multipartBody, pdfBytes } from '../fixtures/document-bytes';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { snapshotTenant, superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification, submission } from '../helpers/venue-flow';

/**
 * What tenant B may do with tenant A's ids: route templates of the OpenAPI document → the requests
 * B sends (A's ids in the path) and what each must answer. `ownTenantWrite` marks routes that
 * create or change something keyed only by B's own tenant (a venue id is not a secret: B may have
 * a venue of that id too); everything else must change no row at all.
 */
interface Probe {
  requests: (a: SeededTenant) => InjectOptions[];
  expectAnswer: (response: Response, a: SeededTenant) => void;
  ownTenantWrite?: boolean;
}

const notFound = (response: Response): void => {
  expect(response.statusCode).toBe(404);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json<{ code: string }>().code).toBe('RESOURCE.NOT_FOUND');
};
const emptyItems = (response: Response): void => {
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ items: [] });
};
const allIds = (a: SeededTenant): string[] => [a.verificationId, a.actionRequiredId, ...a.documentIds, a.flagId, a.assessmentId, a.overrideId, a.taxFormId, a.privacyRequestId, ...screeningsOf(a), ...alertIds];
/** Tenant A's screening alerts (a verification with a listed owner). */
const alertIds: string[] = [];
/** Tenant A's screenings: the listed name it screened, and those of its verifications' parties. */
const screeningIds: string[] = [];
const screeningsOf = (_a: SeededTenant): string[] => screeningIds;
const venuesOf = (a: SeededTenant): string[] => [a.venueId, a.actionRequiredVenueId];
const inAMonth = (): string => new Date(Date.now() + 30 * 86_400_000).toISOString();

const PROBES: Record<string, Probe> = {
  'POST /api/v1/venues/{venueId}/verifications': {
    // A's open verification of this venue must not show through as 409 ALREADY_OPEN.
    requests: (a) => [{ method: 'POST', url: `/api/v1/venues/${a.venueId}/verifications`, payload: submission({ legalName: 'Tenant B Hall' }) }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ legalName: 'Tenant B Hall', decisions: [], state: 'pending' });
    },
    ownTenantWrite: true,
  },
  'GET /api/v1/venues/{venueId}/verifications': {
    requests: (a) => [a.venueId, a.actionRequiredVenueId].map((venueId) => ({ method: 'GET', url: `/api/v1/venues/${venueId}/verifications` })),
    expectAnswer: emptyItems,
  },
  'GET /api/v1/verifications/{id}': {
    requests: (a) => allIds(a).map((id) => ({ method: 'GET', url: `/api/v1/verifications/${id}` })),
    expectAnswer: notFound,
  },
  'PUT /api/v1/verifications/{id}': {
    requests: (a) => allIds(a).map((id) => ({ method: 'PUT', url: `/api/v1/verifications/${id}`, payload: submission() })),
    expectAnswer: notFound,
  },
  'POST /api/v1/verifications/{id}/decisions': {
    requests: (a) =>
      allIds(a).flatMap((id) => [
        { method: 'POST', url: `/api/v1/verifications/${id}/decisions`, payload: { decision: 'approve' } },
        { method: 'POST', url: `/api/v1/verifications/${id}/decisions`, payload: { decision: 'reject', reason: 'probe' } },
      ]),
    expectAnswer: notFound,
  },
  'GET /api/v1/review-queue': {
    requests: () => [{ method: 'GET', url: '/api/v1/review-queue' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], nextCursor: null, overdueCount: 0 });
    },
  },
  'POST /api/v1/venues/{venueId}/documents': {
    // Naming A's beneficial owner: B's tenant has no such owner.
    requests: (a) => {
      const body = multipartBody({ kind: 'ID', ownerId: a.ownerId }, { name: 'id.pdf', contentType: 'application/pdf', content: pdfBytes('probe') });
      return [{ method: 'POST', url: `/api/v1/venues/${a.venueId}/documents`, headers: body.headers, payload: body.payload }];
    },
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(422);
      expect(response.json<{ code: string }>().code).toBe('DOCUMENT.UNKNOWN_OWNER');
    },
  },
  'GET /api/v1/venues/{venueId}/documents': {
    requests: (a) => [a.venueId, a.actionRequiredVenueId].map((venueId) => ({ method: 'GET', url: `/api/v1/venues/${venueId}/documents` })),
    expectAnswer: emptyItems,
  },
  'GET /api/v1/documents/{id}': {
    requests: (a) => allIds(a).map((id) => ({ method: 'GET', url: `/api/v1/documents/${id}` })),
    expectAnswer: notFound,
  },
  'GET /api/v1/documents/{id}/content': {
    requests: (a) => allIds(a).map((id) => ({ method: 'GET', url: `/api/v1/documents/${id}/content` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/documents/{id}/decisions': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/documents/${id}/decisions`, payload: { decision: 'rejected', reason: 'probe' } })),
    expectAnswer: notFound,
  },
  'GET /api/v1/venues/{venueId}/payout-eligibility': {
    requests: (a) => [a.venueId, a.actionRequiredVenueId].map((venueId) => ({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility` })),
    // The same answer as for a venue nobody has heard of.
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ eligible: false, disabled_reason: 'requirements.past_due', requirements_due: ['verification'] });
    },
  },
  'GET /api/v1/settings/four-eyes': {
    requests: () => [{ method: 'GET', url: '/api/v1/settings/four-eyes' }],
    // A set its minimum to 100 cents; B sees the service default.
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ enabled: true, minAnnualVolumeCents: null });
    },
  },
  'PUT /api/v1/settings/four-eyes': {
    requests: () => [{ method: 'PUT', url: '/api/v1/settings/four-eyes', payload: { enabled: false, minAnnualVolumeCents: null } }],
    expectAnswer: (response) => expect(response.statusCode).toBe(200),
    ownTenantWrite: true,
  },
  'POST /api/v1/risk/assessments': {
    // B knows no venue of these ids: nothing to assess, and A's verification keeps its risk status.
    requests: (a) => venuesOf(a).map((venueId) => ({ method: 'POST', url: '/api/v1/risk/assessments', payload: { venueId } })),
    expectAnswer: notFound,
  },
  'GET /api/v1/venues/{venueId}/risk': {
    requests: (a) => venuesOf(a).map((venueId) => ({ method: 'GET', url: `/api/v1/venues/${venueId}/risk` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/venues/{venueId}/risk/override': {
    requests: (a) => venuesOf(a).map((venueId) => ({ method: 'POST', url: `/api/v1/venues/${venueId}/risk/override`, payload: { level: 'approve', reason: 'probe', expiresAt: inAMonth() } })),
    expectAnswer: notFound,
  },
  'POST /api/v1/risk/flags': {
    requests: (a) => venuesOf(a).map((venueId) => ({ method: 'POST', url: '/api/v1/risk/flags', payload: { venueId, severity: 'critical', category: 'probe', description: 'probe' } })),
    expectAnswer: notFound,
  },
  'GET /api/v1/risk/flags': {
    requests: (a) => [
      { method: 'GET', url: '/api/v1/risk/flags' },
      { method: 'GET', url: `/api/v1/risk/flags?venueId=${a.venueId}` },
      { method: 'GET', url: '/api/v1/risk/flags?status=open&category=chargebacks' },
    ],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], nextCursor: null });
    },
  },
  'POST /api/v1/risk/flags/{id}/resolve': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/risk/flags/${id}/resolve`, payload: { note: 'probe' } })),
    expectAnswer: notFound,
  },
  'GET /api/v1/risk/weights': {
    requests: () => [{ method: 'GET', url: '/api/v1/risk/weights' }],
    // A set screening.not_run to 12 for itself; B sees the catalogue's defaults.
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      const items = response.json<{ items: Array<{ key: string; points: number; overridden: boolean }> }>().items;
      expect(items.filter((item) => item.overridden)).toEqual([]);
      expect(items.find((item) => item.key === 'screening.not_run')?.points).toBe(10);
    },
  },
  'PUT /api/v1/risk/weights/{factorKey}': {
    requests: () => [{ method: 'PUT', url: '/api/v1/risk/weights/screening.not_run', payload: { points: 40 } }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ key: 'screening.not_run', points: 40, overridden: true });
    },
    ownTenantWrite: true,
  },
  'GET /api/v1/audit': {
    requests: (a) => [
      { method: 'GET', url: '/api/v1/audit' },
      { method: 'GET', url: `/api/v1/audit?resourceId=${a.verificationId}` },
      { method: 'GET', url: `/api/v1/audit?actor=${a.officer.userId}` },
    ],
    expectAnswer: (response, a) => {
      expect(response.statusCode).toBe(200);
      const items = response.json<{ items: Array<{ resourceId: string | null; actor: string }> }>().items;
      expect(items.filter((item) => allIds(a).includes(item.resourceId ?? '') || item.actor === a.officer.userId)).toEqual([]);
    },
  },
  'POST /api/v1/screenings': {
    requests: () => [{ method: 'POST', url: '/api/v1/screenings', payload: { name: 'BANCO NACIONAL DE CUBA' } }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ result: 'MATCH', verificationId: null });
    },
    ownTenantWrite: true,
  },
  'POST /api/v1/screenings/batch': {
    requests: () => [{ method: 'POST', url: '/api/v1/screenings/batch', payload: { items: [{ name: 'BANCO NACIONAL DE CUBA' }, { name: 'Jane Tenant-B' }] } }],
    expectAnswer: (response) => expect(response.statusCode).toBe(200),
    ownTenantWrite: true,
  },
  'GET /api/v1/screenings': {
    requests: (a) => [a.verificationId, a.actionRequiredId].map((id) => ({ method: 'GET', url: `/api/v1/screenings?verificationId=${id}` })),
    expectAnswer: emptyItems,
  },
  'GET /api/v1/screenings/{id}': {
    requests: (a) => screeningsOf(a).map((id) => ({ method: 'GET', url: `/api/v1/screenings/${id}` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/screenings/{id}/matches/{sdnId}/disposition': {
    requests: (a) => screeningsOf(a).map((id) => ({ method: 'POST', url: `/api/v1/screenings/${id}/matches/306/disposition`, payload: { decision: 'false_positive', reason: 'probe' } })),
    expectAnswer: notFound,
  },
  'POST /api/v1/sanctions/imports': {
    // Lists are global: importing is for the platform's operators, and off without SANCTIONS_IMPORT_DIR.
    requests: () => [{ method: 'POST', url: '/api/v1/sanctions/imports', payload: { source: 'ofac', dir: 'ofac' } }],
    expectAnswer: (response) => expect(response.statusCode).toBe(403),
  },
  'GET /api/v1/jobs': {
    // Platform jobs, not tenant data: the listing carries names, schedules and counts only.
    requests: () => [{ method: 'GET', url: '/api/v1/jobs' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json<{ items: Array<{ name: string }> }>().items.map((job) => job.name)).toContain('verification-expiry');
    },
  },
  'POST /api/v1/jobs/{name}/run': {
    // Job names are the only path parameter: A's ids name no job.
    requests: (a) => allIds(a).slice(0, 2).map((id) => ({ method: 'POST', url: `/api/v1/jobs/${id}/run` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/tax/transactions': {
    // Refunding A's charge: B's ledger has no such charge (external ids are per tenant).
    requests: (a) => [{ method: 'POST', url: '/api/v1/tax/transactions', payload: { externalId: 'probe-refund', venueId: a.venueId, occurredAt: '2026-06-01T00:00:00Z', amount: -1, currency: 'USD', kind: 'refund', originalExternalId: a.taxChargeId } }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(422);
      expect(response.json<{ code: string }>().code).toBe('TAX.UNKNOWN_ORIGINAL');
    },
  },
  'GET /api/v1/tax/venues/{venueId}/summary': {
    requests: (a) => [{ method: 'GET', url: `/api/v1/tax/venues/${a.venueId}/summary?year=${a.taxYear}` }],
    // The same answer as for a venue without transactions.
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ grossMinor: 0, transactions: 0, reversedMinor: 0, requiresForm: false });
    },
  },
  'GET /api/v1/tax/reports/{year}': {
    requests: (a) => [{ method: 'GET', url: `/api/v1/tax/reports/${a.taxYear}` }, { method: 'GET', url: `/api/v1/tax/reports/${a.taxYear}`, headers: { accept: 'text/csv' } }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      if (response.headers['content-type']?.toString().startsWith('text/csv')) expect(response.body.trim().split('\r\n')).toHaveLength(1);
      else expect(response.json()).toMatchObject({ items: [] });
    },
  },
  'POST /api/v1/tax/forms/{year}/generate': {
    requests: (a) => [{ method: 'POST', url: `/api/v1/tax/forms/${a.taxYear}/generate` }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ qualifying: 0, generated: 0, alreadyGenerated: 0, skippedWithoutPayee: 0 });
    },
  },
  'GET /api/v1/tax/forms/{year}': {
    requests: (a) => [{ method: 'GET', url: `/api/v1/tax/forms/${a.taxYear}` }],
    expectAnswer: emptyItems,
  },
  'POST /api/v1/tax/forms/{id}/corrections': {
    requests: (a) => [{ method: 'POST', url: `/api/v1/tax/forms/${a.taxFormId}/corrections` }],
    expectAnswer: notFound,
  },
  'GET /api/v1/alerts': {
    requests: (a) => [{ method: 'GET', url: '/api/v1/alerts' }, { method: 'GET', url: `/api/v1/alerts?venueId=${a.venueId}-listed` }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], nextCursor: null });
    },
  },
  'GET /api/v1/alerts/{id}': {
    requests: (a) => allIds(a).map((id) => ({ method: 'GET', url: `/api/v1/alerts/${id}` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/alerts/{id}/assign': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/alerts/${id}/assign`, payload: { assignee: 'probe' } })),
    expectAnswer: notFound,
  },
  'POST /api/v1/alerts/{id}/comments': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/alerts/${id}/comments`, payload: { text: 'probe' } })),
    expectAnswer: notFound,
  },
  'POST /api/v1/alerts/{id}/investigate': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/alerts/${id}/investigate` })),
    expectAnswer: notFound,
  },
  'POST /api/v1/alerts/{id}/close': {
    requests: (a) => allIds(a).map((id) => ({ method: 'POST', url: `/api/v1/alerts/${id}/close`, payload: { outcome: 'false_positive', reason: 'probe' } })),
    expectAnswer: notFound,
  },
  'POST /api/v1/sanctions/rescreen': {
    // The caller's tenant only: B has nothing to re-screen, and A's verifications are not touched.
    requests: () => [{ method: 'POST', url: '/api/v1/sanctions/rescreen' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ tenants: 0, verifications: 0, alertsOpened: 0 });
    },
  },
  'GET /api/v1/audit/verify': {
    requests: () => [{ method: 'GET', url: '/api/v1/audit/verify' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ intact: true, firstBroken: null });
    },
  },
  'POST /api/v1/privacy/requests': {
    // B's own request about a venue id A also uses: it lands in B's tenant, pointing at nothing of A's.
    requests: (a) => [{ method: 'POST', url: '/api/v1/privacy/requests', payload: { subjectId: a.venueId, type: 'access', reason: 'probe request' } }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ state: 'received', outcome: null });
    },
    ownTenantWrite: true,
  },
  'GET /api/v1/privacy/requests': {
    requests: () => [{ method: 'GET', url: '/api/v1/privacy/requests' }, { method: 'GET', url: '/api/v1/privacy/requests?overdue=false' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: [], nextCursor: null });
    },
  },
  'GET /api/v1/privacy/requests/{id}': {
    requests: (a) => allIds(a).map((id) => ({ method: 'GET', url: `/api/v1/privacy/requests/${id}` })),
    expectAnswer: notFound,
  },
  ...Object.fromEntries(
    ([['start'], ['extend', { months: 1, reason: 'probe reason' }], ['refuse', { reason: 'probe reason' }], ['complete'], ['export-link']] as const).map(([action, payload]) => [
      `POST /api/v1/privacy/requests/{id}/${action}`,
      {
        requests: (a: SeededTenant) => allIds(a).map((id) => ({ method: 'POST' as const, url: `/api/v1/privacy/requests/${id}/${action}`, ...(payload === undefined ? {} : { payload }) })),
        expectAnswer: notFound,
      },
    ]),
  ),
  'GET /api/v1/privacy/subjects/{subjectId}/restricted-records': {
    // B's manager asks about A's venue ids: B holds nothing about them (the read is audited in B).
    requests: (a) => venuesOf(a).map((venueId) => ({ method: 'GET', url: `/api/v1/privacy/subjects/${venueId}/restricted-records?reason=probe%20reason` })),
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      const document = response.json<{ records: Record<string, unknown[]>; auditEntries: unknown[] }>();
      expect(Object.values(document.records).every((rows) => rows.length === 0)).toBe(true);
      expect(document.auditEntries).toEqual([]);
    },
    ownTenantWrite: true,
  },
  'GET /api/v1/me': {
    // The caller's own principal: B's tenant and roles, nothing of A's.
    requests: () => [{ method: 'GET', url: '/api/v1/me' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ roles: expect.arrayContaining(['compliance_officer', 'venue_owner']) });
    },
  },
  'GET /api/v1/dashboard': {
    // B's own figures: A's verifications, alerts, screenings, tax year and events count for nothing.
    requests: () => [{ method: 'GET', url: '/api/v1/dashboard' }],
    expectAnswer: (response) => {
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        verifications: { pending: 0, in_review: 0, verified: 0, rejected: 0, action_required: 0, expired: 0 },
        openAlerts: { high: 0, medium: 0 },
        screenings: { total: 0, byResult: { CLEAR: 0, POTENTIAL_MATCH: 0, MATCH: 0 } },
        tax: { venuesOverThreshold: 0 },
        overduePrivacyRequests: 0,
        undeliveredEvents: 0,
      });
    },
  },
};

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

describe('tenant isolation over every route of the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let a: SeededTenant;

  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    // Sanctions lists are global: a database of its own, with the fixture list, for the screening routes.
    database = await sanctionsDatabase('isolation');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url });
    db = await superuserClient(database.url);
    a = await seedTenant(app, 'isolation-a');
    const listed = await app.inject({ method: 'POST', url: '/api/v1/screenings', headers: a.officer.headers, payload: { name: 'BANCO NACIONAL DE CUBA' } });
    expect(listed.json()).toMatchObject({ result: 'MATCH' });
    screeningIds.push(listed.json<{ id: string }>().id);
    for (const verificationId of [a.verificationId, a.actionRequiredId]) {
      const screenings = await app.inject({ method: 'GET', url: `/api/v1/screenings?verificationId=${verificationId}`, headers: a.officer.headers });
      screeningIds.push(...screenings.json<{ items: Array<{ id: string }> }>().items.map((screening) => screening.id));
    }
    expect(screeningIds.length).toBeGreaterThan(2);
    await startVerification(app, a.officer, `${a.venueId}-listed`, { legalName: a.legalName, beneficialOwners: [{ fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }] });
    const alerts = await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: a.officer.headers });
    alertIds.push(...alerts.json<{ items: Array<{ id: string }> }>().items.map((alert) => alert.id));
    expect(alertIds.length).toBe(1);
  }, 90_000);

  afterAll(async () => {
    await db.end();
    await app.close();
    await database.drop();
  });

  it('knows how to call exactly the routes the OpenAPI document lists', () => {
    const document = buildOpenApiDocument(app, 'test');
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
        .map((method) => routeKey(method, path)),
    );
    expect(documented.every((route) => route.split(' ')[1]?.startsWith('/api/v1/'))).toBe(true);
    expect(documented.sort()).toEqual(Object.keys(PROBES).sort());
  });

  it.each(Object.keys(PROBES))('%s with tenant A\'s ids never reaches tenant A\'s data', async (route) => {
    const probe = PROBES[route] as Probe;
    // A fresh tenant B per route, holding every role (and, as a venue owner, A's venue ids).
    const tenantB: TestCaller = await callerOf([...ROLES], { venueIds: [a.venueId, a.actionRequiredVenueId] });
    for (const request of probe.requests(a)) {
      const beforeA = await snapshotTenant(db, a.tenantId);
      const beforeB = await snapshotTenant(db, tenantB.tenantId);
      const response = await app.inject({ ...request, headers: { ...request.headers, ...tenantB.headers } });
      probe.expectAnswer(response, a);
      expect(response.body).not.toContain(a.legalName);
      expect(response.body).not.toContain(a.tenantId);
      // A 404 may echo the id the caller sent; no other id of A's may appear.
      for (const id of allIds(a).filter((known) => !String(request.url).includes(known))) expect(response.body).not.toContain(id);
      expect(await snapshotTenant(db, a.tenantId)).toEqual(beforeA);
      if (probe.ownTenantWrite !== true) expect(await snapshotTenant(db, tenantB.tenantId)).toEqual(beforeB);
    }
  });

  it('left tenant A\'s verification, documents and chain as they were', async () => {
    const verification = await app.inject({ method: 'GET', url: `/api/v1/verifications/${a.verificationId}`, headers: a.officer.headers });
    expect(verification.json()).toMatchObject({ state: 'in_review', legalName: a.legalName, fourEyes: { awaitingSecondApproval: true }, riskStatus: 'monitor' });
    const risk = await app.inject({ method: 'GET', url: `/api/v1/venues/${a.venueId}/risk`, headers: a.officer.headers });
    expect(risk.json()).toMatchObject({ effective: { level: 'approve', source: 'override' }, latest: { id: a.assessmentId, level: 'monitor' }, history: { items: [{ id: a.assessmentId }] } });
    const weights = await app.inject({ method: 'GET', url: '/api/v1/risk/weights', headers: a.officer.headers });
    expect(weights.json<{ items: Array<{ key: string; points: number }> }>().items.find((item) => item.key === 'screening.not_run')?.points).toBe(12);
    const verify = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: a.manager.headers });
    expect(verify.json()).toMatchObject({ intact: true, firstBroken: null });
  });
});
