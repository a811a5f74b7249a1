import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { SanctionsRescreener } from '../../src/modules/alerts/monitoring/sanctions.rescreener';
import { ActiveSanctionsLists } from '../../src/modules/sanctions/screening/active-sanctions-lists';
import { expectProblem, invalidFields } from '../helpers/problem';
import { importWithCli, modifiedOfac, OFAC_FIXTURE, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { decide, startVerification, submission } from '../helpers/venue-flow';

interface Alert {
  id: string; sdnId: string; list: string; matchedName: string; score: number; venueId: string; verificationId: string; subjectKey: string; severity: string; status: string;
  outcome: string | null; assignee: string | null; dueAt: string; openedAt: string; overdue: boolean; contentHash: string;
}
interface AlertDetail extends Alert { hit: { sdnId: string; explanation: { nameScore: number } } | null; timeline: Array<{ kind: string; actor: string; text: string | null }> }

/**
 * No workers: this suite drives re-screens by hand (two instances at once), and the job an import
 * queues would run beside them. sanctions-rescreen-job.e2e-spec.ts covers the job.
 */
const NO_WORKERS = { JOBS_WORKERS: 'false' };

const owner = (fullName: string, dateOfBirth = '1960-01-01') => ({ beneficialOwners: [{ fullName: 'Ada Lovelace', dateOfBirth: '1980-12-10', ownershipPercent: 50 }, { fullName, dateOfBirth, ownershipPercent: 30 }] });

describe('screening alerts and ongoing monitoring', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let db: Client;
  let officer: TestCaller;
  let manager: TestCaller;
  let admin: TestCaller;
  let otherTenant: TestCaller;

  beforeAll(async () => {
    database = await sanctionsDatabase('alerts');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url, ...NO_WORKERS });
    db = await superuserClient(database.url);
    officer = await callerOf(['compliance_officer']);
    manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
    admin = await callerOf(['admin'], { tenantId: officer.tenantId });
    otherTenant = await callerOf(['compliance_officer']);
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database.drop();
  });

  const alertsOf = async (query: string, caller = officer) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/alerts?${query}`, headers: caller.headers });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: Alert[]; nextCursor: string | null }>();
  };
  const post = (path: string, payload?: object, caller = officer) => app.inject({ method: 'POST', url: `/api/v1/alerts/${path}`, headers: caller.headers, ...(payload === undefined ? {} : { payload }) });
  const alertRows = async (venueId: string) =>
    (await db.query<{ source_id: string; status: string; content_hash: string }>('SELECT source_id, status, content_hash FROM screening_alerts WHERE venue_id = $1 ORDER BY opened_at', [venueId])).rows;
  const matchOpenedEvents = async (venueId: string) =>
    (await db.query<{ tenant_id: string; resource_key: string; payload: Record<string, unknown> }>(
      "SELECT tenant_id::text, resource_key, payload FROM domain_events WHERE type = 'screening.match_opened' AND payload->>'venueId' = $1 ORDER BY id",
      [venueId],
    )).rows;
  const eventCount = async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM alert_events')).rows[0]?.count);
  const verification = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/verifications/${id}`, headers: officer.headers })).json<{ sanctionsStatus: string }>();

  let listedAlert: Alert;
  let listedVerificationId: string;

  it('opens one high-severity alert, due in 7 days, when a verification\'s owner is listed', async () => {
    const started = await startVerification(app, officer, 'venue-listed', owner('Ayman al-Zawahiri', '1951-06-19'));
    listedVerificationId = started.id;
    const { items } = await alertsOf('venueId=venue-listed');
    expect(items).toEqual([expect.objectContaining({ sdnId: '2676', list: 'OFAC-SDN', severity: 'high', status: 'open', outcome: null, verificationId: started.id, overdue: false })]);
    listedAlert = items[0] as Alert;
    expect(new Date(listedAlert.dueAt).getTime() - new Date(listedAlert.openedAt).getTime()).toBeCloseTo(7 * 86_400_000, -5);
    expect(await alertRows('venue-listed')).toHaveLength(1);
  });

  it('records one screening.match_opened event for the opened alert, keyed by venue, without the screened subject', async () => {
    const events = await matchOpenedEvents('venue-listed');
    expect(events).toEqual([{
      tenant_id: officer.tenantId,
      resource_key: 'venue:venue-listed',
      payload: {
        alertId: listedAlert.id, venueId: 'venue-listed', verificationId: listedVerificationId, list: 'OFAC-SDN', sdnId: '2676',
        matchedName: listedAlert.matchedName, score: listedAlert.score, severity: 'high',
      },
    }]);
  });

  it('opens no second alert when the verification is resubmitted with the same hit', async () => {
    expect((await decide(app, officer, listedVerificationId, 'request_changes', 'Upload the W-9')).statusCode).toBe(200);
    const resubmitted = await app.inject({ method: 'PUT', url: `/api/v1/verifications/${listedVerificationId}`, headers: officer.headers, payload: submission(owner('Ayman al-Zawahiri', '1951-06-19')) });
    expect(resubmitted.statusCode).toBe(200);
    expect(await alertRows('venue-listed')).toHaveLength(1);
    expect(await matchOpenedEvents('venue-listed')).toHaveLength(1);
  });

  it('shows the alert with the hit\'s explanation and an opened event', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/alerts/${listedAlert.id}`, headers: manager.headers });
    expect(response.statusCode).toBe(200);
    const detail = response.json<AlertDetail>();
    expect(detail.hit).toMatchObject({ sdnId: '2676', explanation: { nameScore: expect.any(Number) } });
    expect(detail.timeline.map((event) => event.kind)).toEqual(['opened']);
  });

  it('is worked through assign, investigate, comment and close, with the timeline and audit entries', async () => {
    expect((await post(`${listedAlert.id}/assign`, { assignee: officer.userId })).json()).toMatchObject({ assignee: officer.userId, status: 'open' });
    expect((await post(`${listedAlert.id}/investigate`)).json()).toMatchObject({ status: 'investigating' });
    expectProblem(await post(`${listedAlert.id}/investigate`), 409, 'ALERT.ILLEGAL_TRANSITION');
    expect((await post(`${listedAlert.id}/comments`, { text: 'Passport copy matches the listing' })).statusCode).toBe(200);
    const closed = await post(`${listedAlert.id}/close`, { outcome: 'confirmed_match', reason: 'Same DOB and passport' });
    expect(closed.statusCode).toBe(200);
    const detail = closed.json<AlertDetail>();
    expect(detail).toMatchObject({ status: 'closed', outcome: 'confirmed_match', closedAt: expect.any(String) });
    expect(detail.timeline.map((event) => event.kind)).toEqual(['opened', 'assigned', 'status_changed', 'commented', 'closed']);
    expect(detail.timeline.at(-1)).toMatchObject({ actor: officer.userId, text: 'Same DOB and passport' });
    expect((await verification(listedVerificationId)).sanctionsStatus).toBe('match');
    expectProblem(await post(`${listedAlert.id}/close`, { outcome: 'false_positive', reason: 'again' }), 409, 'ALERT.ILLEGAL_TRANSITION');
    expectProblem(await post(`${listedAlert.id}/assign`, { assignee: 'someone' }), 409, 'ALERT.ILLEGAL_TRANSITION');

    const audit = await app.inject({ method: 'GET', url: `/api/v1/audit?resourceId=${listedAlert.id}`, headers: manager.headers });
    expect(audit.json<{ items: Array<{ action: string }> }>().items.map((item) => item.action).sort()).toEqual(['alert.assigned', 'alert.closed', 'alert.commented', 'alert.investigating']);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const before = await eventCount();
    expect(invalidFields(await post(`${listedAlert.id}/close`, { outcome: 'maybe', reason: '' }))).toEqual(expect.arrayContaining(['outcome', 'reason']));
    expect(invalidFields(await post(`${listedAlert.id}/assign`, { assignee: '' }))).toContain('assignee');
    expect(invalidFields(await post(`${listedAlert.id}/comments`, { text: 'x', extra: 1 })).length).toBeGreaterThan(0);
    expect((await post('not-a-uuid/investigate')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts?status=bogus', headers: officer.headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts?cursor=garbage', headers: officer.headers })).statusCode).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('answers 404 for another tenant\'s alert and 403 for venue owners', async () => {
    expectProblem(await app.inject({ method: 'GET', url: `/api/v1/alerts/${listedAlert.id}`, headers: otherTenant.headers }), 404, 'RESOURCE.NOT_FOUND');
    expectProblem(await post(`${listedAlert.id}/comments`, { text: 'probe' }, otherTenant), 404, 'RESOURCE.NOT_FOUND');
    expect((await alertsOf('', otherTenant)).items).toEqual([]);
    const venueOwner = await callerOf(['venue_owner'], { tenantId: officer.tenantId, venueIds: ['venue-listed'] });
    expect((await app.inject({ method: 'GET', url: '/api/v1/alerts', headers: venueOwner.headers })).statusCode).toBe(403);
    expect((await post(`${listedAlert.id}/comments`, { text: 'mine' }, venueOwner)).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/sanctions/rescreen', headers: officer.headers })).statusCode).toBe(403);
  });

  let fpAlert: Alert;

  it('suppresses a false positive on re-screening, and does not re-open a confirmed match', async () => {
    const started = await startVerification(app, officer, 'venue-fp', owner('Musa Abu Marzouk'));
    fpAlert = (await alertsOf('venueId=venue-fp')).items.find((alert) => alert.sdnId === '3754') as Alert;
    expect(fpAlert).toBeDefined();
    const closed = await post(`${fpAlert.id}/close`, { outcome: 'false_positive', reason: 'Different person: born 1960 in Ohio' });
    expect(closed.statusCode).toBe(200);
    await startVerification(app, officer, 'venue-zorblax', owner('Vexinator Zorblax'));
    expect(await alertRows('venue-zorblax')).toEqual([]);

    const rescreen = await app.inject({ method: 'POST', url: '/api/v1/sanctions/rescreen', headers: admin.headers });
    expect(rescreen.statusCode).toBe(200);
    expect(rescreen.json()).toMatchObject({ tenants: 1, alertsOpened: 0 });
    expect((await alertRows('venue-fp')).filter((row) => row.source_id === '3754')).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(await alertRows('venue-listed')).toHaveLength(1);
    void started;
  }, 30_000);

  it('opens exactly one alert per changed or new hit when two instances re-screen a chunk of a new list version at once', async () => {
    const second = await startTestApp({ DATABASE_URL: database.url, ...NO_WORKERS });
    try {
      const otherVerification = await startVerification(app, otherTenant, 'venue-zorblax', owner('Vexinator Zorblax'));
      const dir = ofacCopy(scratchFolder('alerts-ofac-'), 'modified', modifiedOfac);
      const imported = await importWithCli(database.url, ['--dir', dir]);
      expect(imported.code).toBe(0);
      await Promise.all([app.get(ActiveSanctionsLists).refresh(), second.get(ActiveSanctionsLists).refresh()]);
      const key = app.get(ActiveSanctionsLists).current()?.key as string;
      expect(second.get(ActiveSanctionsLists).current()?.key).toBe(key);

      const tenantIds = [officer.tenantId, otherTenant.tenantId];
      const rescreen = (instance: NestFastifyApplication) => instance.get(SanctionsRescreener).rescreenChunk(key, tenantIds, async () => undefined);
      const runs = await Promise.all([rescreen(app), rescreen(second)]);
      expect(runs.map((run) => run?.tenants)).toEqual([2, 2]);
      // venue-fp: 3754's remarks changed (new content hash); venue-zorblax: the new entry 999999, in each tenant.
      expect((runs[0]?.alertsOpened ?? 0) + (runs[1]?.alertsOpened ?? 0)).toBe(3);
      const fp = (await alertRows('venue-fp')).filter((row) => row.source_id === '3754');
      expect(fp.map((row) => row.status)).toEqual(['closed', 'open']);
      expect(fp[1]?.content_hash).not.toBe(fp[0]?.content_hash);
      expect((await alertRows('venue-zorblax')).map((row) => `${row.source_id}:${row.status}`)).toEqual(['999999:open', '999999:open']);
      const duplicates = await db.query("SELECT 1 FROM screening_alerts WHERE status <> 'closed' GROUP BY tenant_id, subject_key, list_name, source_id HAVING count(*) > 1");
      expect(duplicates.rows).toEqual([]);
      const rescreened = await app.inject({ method: 'GET', url: `/api/v1/verifications/${otherVerification.id}`, headers: otherTenant.headers });
      expect(['match', 'potential_match']).toContain(rescreened.json<{ sanctionsStatus: string }>().sanctionsStatus);

      const audited = async () => {
        const audit = await app.inject({ method: 'GET', url: '/api/v1/audit?action=sanctions.list_updated', headers: manager.headers });
        return audit.json<{ items: Array<{ actor: string; after: { listVersion: string } }> }>().items;
      };
      const byMonitor = (await audited()).filter((entry) => entry.after.listVersion === key);
      // Whichever instance re-screened a verification first, the other found it screened against these lists.
      expect(byMonitor.length).toBeGreaterThanOrEqual(1);
      expect(byMonitor.every((entry) => entry.actor === 'sanctions-monitor')).toBe(true);

      const again = await rescreen(app);
      // Four monitored verifications: venue-listed, venue-fp and venue-zorblax of one tenant, venue-zorblax of the other.
      expect(again).toMatchObject({ tenants: 2, verifications: 0, alreadyScreened: 4, alertsOpened: 0 });
      const entries = await audited();
      expect(entries.filter((entry) => entry.after.listVersion === key)).toHaveLength(byMonitor.length);
      expect(entries.some((entry) => entry.actor === admin.userId)).toBe(true);
      const events = await db.query<{ tenant_id: string }>("SELECT tenant_id::text FROM domain_events WHERE type = 'sanctions.list_updated' AND dedup_key = $1", [key]);
      expect(events.rows.map((event) => event.tenant_id).sort()).toEqual([...tenantIds].sort());
    } finally {
      await second.close();
    }
  }, 60_000);

  it('filters and pages alerts, oldest due first', async () => {
    await db.query("UPDATE screening_alerts SET due_at = date_trunc('milliseconds', now()) - interval '1 day' WHERE venue_id = 'venue-zorblax' AND tenant_id = $1", [officer.tenantId]);
    const all = await alertsOf('limit=200');
    expect(all.items.length).toBeGreaterThanOrEqual(4);
    const dues = all.items.map((alert) => alert.dueAt);
    expect([...dues].sort()).toEqual(dues);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Alert[]; nextCursor: string | null } = await alertsOf(`limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      paged.push(...page.items.map((alert) => alert.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all.items.map((alert) => alert.id));
    expect((await alertsOf('overdue=true')).items.map((alert) => alert.venueId)).toEqual(['venue-zorblax']);
    expect((await alertsOf('status=closed')).items.map((alert) => alert.id).sort()).toEqual([listedAlert.id, fpAlert.id].sort());
    expect((await alertsOf(`assignee=${officer.userId}`)).items.map((alert) => alert.id)).toEqual([listedAlert.id]);
    expect((await alertsOf('severity=high&venueId=venue-listed')).items.map((alert) => alert.id)).toEqual([listedAlert.id]);
    expect((await alertsOf('status=open&venueId=venue-fp')).items.every((alert) => alert.status === 'open' && alert.venueId === 'venue-fp')).toBe(true);
  });
});
