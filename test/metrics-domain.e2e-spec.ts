import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { eventually } from './helpers/eventually';
import { parsePrometheusText, type Sample, valueOf } from './helpers/prometheus-text';
import { ofacCopy, sanctionsDatabase, scratchFolder } from './helpers/sanctions-lists';
import { insertCharges } from './helpers/tax-flow';
import { superuserClient } from './helpers/tenant-tables';
import { startTestApp } from './helpers/test-app';
import { callerOf, type TestCaller } from './helpers/tokens';
import { startVerification } from './helpers/venue-flow';

const DAY_SECONDS = 86_400;

/**
 * The compliance metrics after domain actions, in a database of this suite's own: the gauges count
 * every tenant, so no other suite's rows may be in it. No workers: a job must not change a state
 * this suite asserts.
 */
describe('metrics: the compliance domain on /metrics', () => {
  const folder = scratchFolder('metrics-domain-');
  const taxYear = new Date().getUTCFullYear();
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let db: Client;
  let admin: TestCaller;
  let officer: TestCaller;

  beforeAll(async () => {
    database = await sanctionsDatabase('metrics_domain');
    ofacCopy(folder, 'base');
    app = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_IMPORT_DIR: folder, JOBS_WORKERS: 'false' });
    db = await superuserClient(database.url);
    admin = await callerOf(['admin']);
    officer = await callerOf(['compliance_officer'], { tenantId: admin.tenantId });
    // Before the first scrape: the 1099-K count is read at most once a minute.
    await insertCharges(db, admin.tenantId, 'venue-over-threshold', taxYear, 201, 2_500_000);
    await insertCharges(db, admin.tenantId, 'venue-under-threshold', taxYear, 10, 50_000);
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database.drop();
  });

  /** The samples of the compliance metrics in a scrape (the runtime's own lines are another suite's business). */
  const scrape = async (): Promise<Sample[]> => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return parsePrometheusText(response.body.split('\n').filter((line) => line.startsWith('compliance_')).join('\n'));
  };
  /** Scrapes until `name{labels}` has `expected` (scrapes within a second share one database read). */
  const settled = (name: string, labels: Record<string, string>, expected: (value: number) => boolean) =>
    eventually(async () => {
      const value = valueOf(await scrape(), name, labels);
      return value !== undefined && expected(value) ? value : undefined;
    }, 5_000, `${name}${JSON.stringify(labels)}`);
  const screen = (name: string) => app.inject({ method: 'POST', url: '/api/v1/screenings', headers: officer.headers, payload: { name } });
  const importList = () => app.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: admin.headers, payload: { source: 'ofac', dir: 'base' } });

  it('counts 1099-K qualifying venues per tax year: over both thresholds counts, under does not', async () => {
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_tax_1099k_qualifying_venues', { tax_year: String(taxYear) })).toBe(1);
    expect(valueOf(samples, 'compliance_tax_1099k_qualifying_venues', { tax_year: String(taxYear - 1) })).toBe(0);
  });

  it('counts a screening that fails for want of a list as an error, and shows no list before the first import', async () => {
    expect((await screen('Ayman al-Zawahiri')).statusCode).toBe(503);
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_sanctions_screenings_total', { outcome: 'error', list: 'none' })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_list_active_info', { source: 'ofac_sdn' })).toBeUndefined();
  });

  it('times imports by source and status, and shows the active version and its age', async () => {
    const imported = await importList();
    expect(imported.statusCode).toBe(200);
    expect((await importList()).json()).toMatchObject({ status: 'unchanged' });
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_sanctions_list_import_duration_seconds_count', { source: 'ofac_sdn', status: 'imported' })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_list_import_duration_seconds_count', { source: 'ofac_sdn', status: 'unchanged' })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_list_active_info', { source: 'ofac_sdn', version: imported.json<{ versionId: string }>().versionId })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_list_age_seconds', { source: 'ofac_sdn' })).toBeLessThan(60);
  });

  it('counts screenings by outcome and the list of the best hit', async () => {
    expect((await screen('Ayman al-Zawahiri')).json()).toMatchObject({ result: 'MATCH' });
    expect((await screen('Blue Note Hall LLC')).json()).toMatchObject({ result: 'CLEAR' });
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_sanctions_screenings_total', { outcome: 'MATCH', list: 'OFAC-SDN' })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_screenings_total', { outcome: 'CLEAR', list: 'none' })).toBe(1);
    expect(valueOf(samples, 'compliance_sanctions_screenings_total', { outcome: 'error', list: 'none' })).toBe(1);
  });

  it('shows verifications by state, the oldest waiting for review, and the review SLA', async () => {
    await startVerification(app, officer, 'venue-waiting');
    const old = await startVerification(app, officer, 'venue-waiting-long');
    await db.query("UPDATE venue_verifications SET submitted_at = now() - interval '3 days' WHERE id = $1", [old.id]);
    await settled('compliance_verifications', { state: 'pending' }, (value) => value === 2);
    const oldest = await settled('compliance_verification_oldest_waiting_seconds', {}, (value) => value > 0);
    expect(oldest).toBeGreaterThanOrEqual(3 * DAY_SECONDS);
    expect(oldest).toBeLessThan(3 * DAY_SECONDS + 60);
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_verifications', { state: 'verified' })).toBe(0);
    expect(valueOf(samples, 'compliance_verification_review_sla_seconds')).toBe(14 * DAY_SECONDS);
  });

  it('shows open screening alerts by severity and the age of the oldest', async () => {
    await startVerification(app, officer, 'venue-listed', {
      beneficialOwners: [{ fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }],
    });
    await db.query("UPDATE screening_alerts SET opened_at = now() - interval '2 hours' WHERE venue_id = 'venue-listed'");
    await settled('compliance_screening_alerts_open', { severity: 'high' }, (value) => value === 1);
    const oldest = await settled('compliance_screening_alert_oldest_open_seconds', { severity: 'high' }, (value) => value > 0);
    expect(oldest).toBeGreaterThanOrEqual(7_200);
    expect(oldest).toBeLessThan(7_260);
    const samples = await scrape();
    expect(valueOf(samples, 'compliance_screening_alerts_open', { severity: 'medium' })).toBe(0);
    expect(valueOf(samples, 'compliance_screening_alert_oldest_open_seconds', { severity: 'medium' })).toBe(0);
  });

  it('counts open privacy requests before and past their deadline', async () => {
    const create = async (subjectId: string) => {
      const response = await app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: officer.headers, payload: { subjectId, type: 'access', reason: 'Emailed the DPO' } });
      expect(response.statusCode).toBe(201);
      return response.json<{ id: string }>();
    };
    await create('venue-on-time');
    const late = await create('venue-late');
    await db.query("UPDATE privacy_requests SET received_at = now() - interval '40 days', due_at = now() - interval '9 days' WHERE id = $1", [late.id]);
    await settled('compliance_privacy_requests_overdue', {}, (value) => value === 1);
    expect(valueOf(await scrape(), 'compliance_privacy_requests_due')).toBe(1);
  });
});
