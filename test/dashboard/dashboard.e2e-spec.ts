import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { eventually } from '../helpers/eventually';
import { freePort } from '../helpers/free-port';
import { ADMIN_TOKEN } from '../helpers/guarded-app';
import { expectProblem } from '../helpers/problem';
import { verifiedVenue } from '../helpers/risk-flow';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { charge, insertCharges, recordTransaction } from '../helpers/tax-flow';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { decide, startVerification } from '../helpers/venue-flow';

const THIS_YEAR = new Date().getUTCFullYear();
const LISTED_OWNER = { fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 };

interface Tenant {
  officer: TestCaller;
  service: TestCaller;
}

interface Dashboard {
  generatedAt: string;
  verifications: Record<string, number>;
  openAlerts: Record<string, number>;
  screenings: { since: string; total: number; byResult: Record<string, number> };
  tax: { taxYear: number; venuesOverThreshold: number };
  overduePrivacyRequests: number;
  undeliveredEvents: number;
}

describe('GET /api/v1/dashboard', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let db: Client;
  let first: Tenant;
  let second: Tenant;

  const newTenant = async (): Promise<Tenant> => {
    const officer = await callerOf(['compliance_officer']);
    return { officer, service: await callerOf(['service'], { tenantId: officer.tenantId }) };
  };
  const dashboardOf = async (caller: TestCaller): Promise<Dashboard> => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: caller.headers });
    expect(response.statusCode).toBe(200);
    return response.json<Dashboard>();
  };
  const screen = async (tenant: Tenant, name: string): Promise<string> => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/screenings', headers: tenant.officer.headers, payload: { name } });
    expect(response.statusCode).toBe(201);
    return response.json<{ id: string }>().id;
  };
  /** Takes a venue over the federal threshold in `year` with one charge through the API, which records the crossing event. */
  const crossThreshold = async (tenant: Tenant, venueId: string, year: number): Promise<void> => {
    await insertCharges(db, tenant.officer.tenantId, venueId, year, 200, 2_000_000);
    expect((await recordTransaction(app, tenant.service, charge(`${venueId}-crossing`, venueId, 1, `${year}-06-01T12:00:00Z`))).statusCode).toBe(201);
  };
  const deliveriesOf = async (tenant: Tenant): Promise<Array<{ id: string; venue_id: string }>> =>
    (
      await db.query<{ id: string; venue_id: string }>(
        `SELECT d.id::text, e.payload->>'venueId' AS venue_id FROM event_deliveries d JOIN domain_events e ON e.id = d.event_id
         WHERE e.tenant_id = $1 ORDER BY e.payload->>'venueId'`,
        [tenant.officer.tenantId],
      )
    ).rows;

  beforeAll(async () => {
    // Screenings need an active list, and lists are global: a database of its own.
    database = await sanctionsDatabase('dashboard');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url, ADMIN_API_TOKEN: ADMIN_TOKEN, JOBS_POLL_INTERVAL_SECONDS: '0.5' });
    db = await superuserClient(database.url);
    [first, second] = [await newTenant(), await newTenant()];

    // Every tenant's threshold crossings go to a subscriber that is never there: they stay pending.
    const subscribed = await app.inject({
      method: 'POST',
      url: '/admin/event-subscriptions',
      headers: { 'x-internal-token': ADMIN_TOKEN },
      payload: { url: `http://127.0.0.1:${await freePort()}/events`, eventTypes: ['tax.threshold_crossed'], secret: 'dashboard-subscriber-secret-0123456789abcdef' },
    });
    expect(subscribed.statusCode).toBe(201);

    // First tenant. Verifications: verified, pending, sent back, rejected, and two pending with a listed owner.
    await verifiedVenue(app, first.officer, 'first-verified');
    await startVerification(app, first.officer, 'first-pending');
    const changes = await startVerification(app, first.officer, 'first-changes');
    expect((await decide(app, first.officer, changes.id, 'request_changes', 'Address does not match')).statusCode).toBe(200);
    const rejected = await startVerification(app, first.officer, 'first-rejected');
    expect((await decide(app, first.officer, rejected.id, 'reject', 'Not a venue')).statusCode).toBe(200);
    await startVerification(app, first.officer, 'first-listed-1', { beneficialOwners: [LISTED_OWNER] });
    await startVerification(app, first.officer, 'first-listed-2', { beneficialOwners: [LISTED_OWNER] });
    // Alerts: one per listed owner; one investigated (still open), one closed.
    const alerts = (await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: first.officer.headers })).json<{ items: Array<{ id: string }> }>().items;
    expect(alerts).toHaveLength(2);
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${alerts[0]?.id}/investigate`, headers: first.officer.headers })).statusCode).toBe(200);
    const closed = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alerts[1]?.id}/close`, headers: first.officer.headers, payload: { outcome: 'false_positive', reason: 'Another person' } });
    expect(closed.statusCode).toBe(200);
    // Ad-hoc screenings: a listed bank, a clear name, and one from 31 days ago (outside the window).
    await screen(first, 'BANCO NACIONAL DE CUBA');
    await screen(first, 'Jane Unlisted Nobody');
    const old = await screen(first, 'John Unlisted Nobody');
    await db.query("UPDATE screenings SET screened_at = now() - interval '31 days' WHERE id = $1", [old]);
    // Tax: over the threshold this year (counted), last year (not counted), and under it this year.
    await crossThreshold(first, 'first-verified', THIS_YEAR);
    await crossThreshold(first, 'first-rejected', THIS_YEAR - 1);
    await crossThreshold(first, 'first-changes', THIS_YEAR - 1);
    await insertCharges(db, first.officer.tenantId, 'first-pending', THIS_YEAR, 200, 9_000_000);

    // Privacy requests: one overdue, one open and not yet due, one refused after its due date.
    const privacyRequest = async (subjectId: string) =>
      (await app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: first.officer.headers, payload: { subjectId, type: 'access', reason: 'Asked by e-mail' } })).json<{ id: string }>().id;
    const [overdue, open, refused] = [await privacyRequest('first-pending'), await privacyRequest('first-verified'), await privacyRequest('first-changes')];
    expect((await app.inject({ method: 'POST', url: `/api/v1/privacy/requests/${refused}/refuse`, headers: first.officer.headers, payload: { reason: 'Identity not confirmed' } })).statusCode).toBe(200);
    await db.query("UPDATE privacy_requests SET due_at = now() - interval '1 day' WHERE id = ANY($1)", [[overdue, refused]]);
    expect(open).toEqual(expect.any(String));

    // Second tenant: a pending verification with a listed owner, a screening, a venue over the threshold.
    await startVerification(app, second.officer, 'second-listed', { beneficialOwners: [LISTED_OWNER] });
    await screen(second, 'BANCO NACIONAL DE CUBA');
    await crossThreshold(second, 'second-over', THIS_YEAR);

    // Deliveries: of the first tenant's three crossings, one delivered and one dead-lettered.
    const firstDeliveries = await eventually(async () => {
      const rows = await deliveriesOf(first);
      return rows.length === 3 && (await deliveriesOf(second)).length === 1 ? rows : undefined;
    }, 20_000, 'a delivery per threshold crossing');
    await db.query("UPDATE event_deliveries SET status = 'delivered', delivered_at = now() WHERE id = $1", [firstDeliveries[0]?.id]);
    await db.query("UPDATE event_deliveries SET status = 'dead' WHERE id = $1", [firstDeliveries[1]?.id]);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  it('counts the caller\'s tenant: verifications per state, open alerts, 30 days of screenings, venues over a threshold, undelivered events', async () => {
    const dashboard = await dashboardOf(first.officer);
    expect(dashboard).toEqual({
      generatedAt: expect.any(String),
      verifications: { pending: 3, in_review: 0, verified: 1, rejected: 1, action_required: 1, expired: 0 },
      openAlerts: { high: 1, medium: 0 },
      screenings: { since: expect.any(String), total: 14, byResult: { CLEAR: 11, POTENTIAL_MATCH: 0, MATCH: 3 } },
      tax: { taxYear: THIS_YEAR, venuesOverThreshold: 1 },
      overduePrivacyRequests: 1,
      undeliveredEvents: 1,
    });
    expect(Date.parse(dashboard.generatedAt) - Date.parse(dashboard.screenings.since)).toBe(30 * 86_400_000);
  });

  it('shows another tenant only its own figures', async () => {
    expect(await dashboardOf(second.officer)).toEqual({
      generatedAt: expect.any(String),
      verifications: { pending: 1, in_review: 0, verified: 0, rejected: 0, action_required: 0, expired: 0 },
      openAlerts: { high: 1, medium: 0 },
      screenings: { since: expect.any(String), total: 3, byResult: { CLEAR: 1, POTENTIAL_MATCH: 0, MATCH: 2 } },
      tax: { taxYear: THIS_YEAR, venuesOverThreshold: 1 },
      overduePrivacyRequests: 0,
      undeliveredEvents: 1,
    });
    const empty = await dashboardOf(await callerOf(['admin']));
    expect(empty).toMatchObject({ verifications: { pending: 0, verified: 0 }, openAlerts: { high: 0, medium: 0 }, screenings: { total: 0 }, tax: { venuesOverThreshold: 0 }, undeliveredEvents: 0 });
  });

  it('answers the officers\' roles, 403 to venue owners and services, 401 without a token', async () => {
    const tenantId = first.officer.tenantId;
    for (const role of ['compliance_manager', 'admin'] as const) expect((await dashboardOf(await callerOf([role], { tenantId }))).verifications.verified).toBe(1);
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: (await callerOf(['venue_owner'], { tenantId, venueIds: ['first-verified'] })).headers }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: first.service.headers }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/dashboard' }), 401, 'AUTH.UNAUTHENTICATED');
  });
});
