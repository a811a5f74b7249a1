import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ExportLinkSigner } from '../../src/modules/privacy/export-link.signer';
import { SUBJECT_DATA_MAP } from '../../src/modules/privacy/subject-data-map';
import { pdfBytes } from '../fixtures/document-bytes';
import { type AuditItem, allAuditEntries, verifyChain } from '../helpers/audit-api';
import { runCompiled } from '../helpers/cli';
import { runJobNow } from '../helpers/job-runs';
import { expectProblem, invalidFields } from '../helpers/problem';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { charge, insertCharges, recordTransaction } from '../helpers/tax-flow';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, upload } from '../helpers/venue-flow';

interface PrivacyRequest {
  id: string;
  subjectId: string;
  type: string;
  state: string;
  receivedAt: string;
  dueAt: string;
  overdue: boolean;
  extension: { extendedAt: string; reason: string } | null;
  refusalReason: string | null;
  outcome: Record<string, unknown> | null;
}
interface SubjectDocument {
  subjectId: string;
  records: Record<string, Array<Record<string, unknown>>>;
  auditEntries: Array<AuditItem & { subjectId: string | null; personal: unknown; personalErased: boolean }>;
}

const TAX_YEAR = 2026;
/** A listed owner (the fixture's SDN 2676) so the venue has screenings, an alert and a disposition. */
const LISTED_OWNER = { fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 };
const OWNER = { fullName: 'Grace Hopper', dateOfBirth: '1976-12-09', ownershipPercent: 70 };
const CONTACT = 'grace@erasable-hall.example';

describe('privacy requests: access export, erasure with restriction, crypto-shredded audit values, reminders and retention', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let db: Client;
  let officer: TestCaller;
  let manager: TestCaller;
  let admin: TestCaller;

  const request = (method: 'GET' | 'POST', path: string, caller: TestCaller, payload?: object) =>
    app.inject({ method, url: `/api/v1/privacy/${path}`, headers: caller.headers, ...(payload === undefined ? {} : { payload }) });
  const create = async (subjectId: string, type: 'access' | 'erasure', caller = officer): Promise<PrivacyRequest> => {
    const response = await request('POST', 'requests', caller, { subjectId, type, reason: `Subject asked for ${type} by e-mail` });
    expect(response.statusCode).toBe(201);
    return response.json<PrivacyRequest>();
  };
  const complete = async (id: string, caller = manager): Promise<PrivacyRequest> => {
    const response = await request('POST', `requests/${id}/complete`, caller);
    expect(response.statusCode).toBe(200);
    return response.json<PrivacyRequest>();
  };
  const runJob = async (name: string): Promise<Record<string, number>> => {
    const run = await runJobNow(app, admin, database.url, name);
    if (run.status !== 'succeeded') throw new Error(`${name} failed: ${run.error_message}`);
    return run.progress;
  };
  const count = async (sql: string, values: unknown[]) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) AS rows`, values)).rows[0]?.n);

  /** A venue with a record in every table of the subject data map. */
  const subjectVenue = async (tenant: { officer: TestCaller; manager: TestCaller }, venueId: string): Promise<{ verificationId: string }> => {
    const verification = await startVerification(app, tenant.officer, venueId, { contactEmail: CONTACT, beneficialOwners: [OWNER, LISTED_OWNER] });
    const ownerId = verification.beneficialOwners[0]?.id as string;
    const w9 = await upload(app, tenant.officer, venueId, { kind: 'W9' }, pdfBytes(`${venueId} w9`));
    const id = await upload(app, tenant.officer, venueId, { kind: 'ID', ownerId }, pdfBytes(`${venueId} id`), 'passport-grace-hopper.pdf');
    await acceptDocument(app, tenant.officer, w9.json<{ id: string }>().id);
    await acceptDocument(app, tenant.officer, id.json<{ id: string }>().id);
    expect((await decide(app, tenant.officer, verification.id, 'request_changes', 'Grace Hopper must sign the W-9')).statusCode).toBe(200);
    const alerts = await app.inject({ method: 'GET', url: `/api/v1/alerts?venueId=${venueId}`, headers: tenant.officer.headers });
    const alertId = alerts.json<{ items: Array<{ id: string }> }>().items[0]?.id as string;
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/comments`, headers: tenant.officer.headers, payload: { text: 'Different birth year' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/close`, headers: tenant.officer.headers, payload: { outcome: 'false_positive', reason: 'Born 1951, not our owner' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: tenant.officer.headers, payload: { venueId, severity: 'low', category: 'chargebacks', description: 'Two chargebacks' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', headers: tenant.officer.headers, payload: { venueId } })).statusCode).toBe(201);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    expect((await app.inject({ method: 'POST', url: `/api/v1/venues/${venueId}/risk/override`, headers: tenant.manager.headers, payload: { level: 'approve', reason: 'Known promoter', expiresAt } })).statusCode).toBe(201);
    const service = await callerOf(['service'], { tenantId: tenant.officer.tenantId });
    await insertCharges(app.get(DataSource), tenant.officer.tenantId, venueId, TAX_YEAR, 200, 2_000_000);
    expect((await recordTransaction(app, service, charge(`${venueId}-crossing`, venueId, 1_000))).statusCode).toBe(201);
    const tenantAdmin = await callerOf(['admin'], { tenantId: tenant.officer.tenantId });
    expect((await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${TAX_YEAR}/generate`, headers: tenantAdmin.headers })).json()).toMatchObject({ generated: 1 });
    return { verificationId: verification.id };
  };

  beforeAll(async () => {
    database = await sanctionsDatabase('privacy');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url, JOBS_POLL_INTERVAL_SECONDS: '0.5' });
    db = await superuserClient(database.url);
    officer = await callerOf(['compliance_officer']);
    manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
    admin = await callerOf(['admin'], { tenantId: officer.tenantId });
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  it('maps every tenant table that holds a venue\'s records, so no new table escapes export and erasure', async () => {
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT DISTINCT c.table_name FROM information_schema.columns c
       JOIN pg_policies p ON p.tablename = c.table_name AND p.policyname = 'tenant_isolation'
       WHERE c.table_schema = 'public' AND c.column_name IN ('venue_id', 'verification_id', 'subject_key', 'alert_id', 'subject_id')`,
    );
    // The privacy module's own tables, and the audit chain (shredded through AuditService, not the map).
    const handledElsewhere = ['privacy_requests', 'privacy_exports', 'audit_log', 'audit_personal_values', 'audit_subject_salts'];
    const mapped = new Set(SUBJECT_DATA_MAP.map((set) => set.table));
    expect(rows.map((row) => row.table_name).filter((table) => !mapped.has(table) && !handledElsewhere.includes(table)).sort()).toEqual([]);
  });

  describe('the request lifecycle (GDPR Art. 12)', () => {
    it('receives a request due one calendar month later, and refuses bad input with the fields named', async () => {
      const created = await create('venue-lifecycle', 'access');
      expect(created).toMatchObject({ subjectId: 'venue-lifecycle', type: 'access', state: 'received', overdue: false, extension: null, outcome: null });
      const received = new Date(created.receivedAt);
      const due = new Date(created.dueAt);
      expect(due.getUTCMonth()).toBe((received.getUTCMonth() + 1) % 12);
      expect(due.getTime() - received.getTime()).toBeGreaterThanOrEqual(28 * 86_400_000);

      expect(invalidFields(await request('POST', 'requests', officer, { subjectId: 'venue-x', type: 'forget', reason: 'x', extra: true }))).toEqual(expect.arrayContaining(['type', 'reason']));
      expectProblem(await app.inject({ method: 'POST', url: '/api/v1/privacy/requests', headers: { ...officer.headers, 'content-type': 'application/json' }, payload: '{"subjectId":' }), 400, 'REQUEST.INVALID');
      const venueOwner = await callerOf(['venue_owner'], { tenantId: officer.tenantId, venueIds: ['venue-lifecycle'] });
      expect((await request('GET', 'requests', venueOwner)).statusCode).toBe(403);
    });

    it('starts, extends once within the first month with a reason, and refuses only with a reason; final states are final', async () => {
      const created = await create('venue-lifecycle', 'erasure');
      expect((await request('POST', `requests/${created.id}/start`, officer)).json()).toMatchObject({ state: 'in_progress' });
      expectProblem(await request('POST', `requests/${created.id}/start`, officer), 409, 'PRIVACY.INVALID_TRANSITION');
      expect(invalidFields(await request('POST', `requests/${created.id}/extend`, officer, { months: 3, reason: '' }))).toEqual(expect.arrayContaining(['months', 'reason']));
      const extended = (await request('POST', `requests/${created.id}/extend`, officer, { months: 2, reason: 'Records span four tax years' })).json<PrivacyRequest>();
      expect(extended.extension).toMatchObject({ reason: 'Records span four tax years' });
      expect(new Date(extended.dueAt).getUTCMonth()).toBe((new Date(created.receivedAt).getUTCMonth() + 3) % 12);
      expect(expectProblem(await request('POST', `requests/${created.id}/extend`, officer, { months: 1, reason: 'Again please' }), 409, 'PRIVACY.INVALID_TRANSITION').detail).toMatch(/once/);

      expect(invalidFields(await request('POST', `requests/${created.id}/refuse`, officer, {}))).toEqual(['reason']);
      const refused = (await request('POST', `requests/${created.id}/refuse`, officer, { reason: 'Identity could not be confirmed' })).json<PrivacyRequest>();
      expect(refused).toMatchObject({ state: 'refused', refusalReason: 'Identity could not be confirmed' });
      expectProblem(await request('POST', `requests/${created.id}/complete`, manager), 409, 'PRIVACY.INVALID_TRANSITION');
    });

    it('lists overdue requests, and keeps another tenant\'s requests out of reach', async () => {
      const late = await create('venue-late', 'access');
      await db.query("UPDATE privacy_requests SET received_at = now() - interval '40 days', due_at = now() - interval '9 days' WHERE id = $1", [late.id]);
      const overdue = (await request('GET', 'requests?overdue=true', officer)).json<{ items: PrivacyRequest[] }>().items;
      expect(overdue.map((item) => item.id)).toEqual([late.id]);
      expect(overdue[0]?.overdue).toBe(true);
      const notOverdue = (await request('GET', 'requests?overdue=false&type=access', officer)).json<{ items: PrivacyRequest[] }>().items;
      expect(notOverdue.map((item) => item.id)).not.toContain(late.id);

      const stranger = await callerOf(['compliance_manager']);
      expectProblem(await request('GET', `requests/${late.id}`, stranger), 404, 'RESOURCE.NOT_FOUND');
      expectProblem(await request('POST', `requests/${late.id}/complete`, stranger), 404, 'RESOURCE.NOT_FOUND');
      expect((await request('GET', 'requests', stranger)).json<{ items: unknown[] }>().items).toEqual([]);
    });
  });

  describe('a subject with records in every table', () => {
    const venueId = 'venue-erasable';
    let verificationId: string;
    let exportRequest: PrivacyRequest;

    beforeAll(async () => {
      ({ verificationId } = await subjectVenue({ officer, manager }, venueId));
    }, 60_000);

    it('exports everything held about the subject as one JSON document, downloadable through a short-lived signed link', async () => {
      exportRequest = await create(venueId, 'access');
      expect((await request('POST', `requests/${exportRequest.id}/export-link`, officer)).statusCode).toBe(409);
      const completed = await complete(exportRequest.id);
      expect(completed.state).toBe('completed');

      const link = (await request('POST', `requests/${exportRequest.id}/export-link`, officer)).json<{ url: string; expiresAt: string }>();
      expect(new Date(link.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(900_000);
      const download = await app.inject({ method: 'GET', url: link.url });
      expect(download.statusCode).toBe(200);
      expect(download.headers['cache-control']).toBe('no-store');
      const document = download.json<SubjectDocument>();
      expect(document.subjectId).toBe(venueId);
      const nonEmpty = Object.entries(document.records).filter(([, rows]) => rows.length > 0).map(([name]) => name).sort();
      expect(nonEmpty).toEqual(
        ['alertEvents', 'alerts', 'beneficialOwners', 'documents', 'riskAssessments', 'riskFlags', 'riskOverrides', 'screeningDispositions', 'screenings', 'taxForms', 'taxTransactions', 'verificationDecisions', 'verifications'].sort(),
      );
      expect(document.records.verifications?.[0]).toMatchObject({ id: verificationId, contact_email: CONTACT, ein_last4: '6789' });
      expect(JSON.stringify(document)).not.toMatch(/ein_ciphertext|tin_ciphertext|ein_hash/);
      expect(document.records.beneficialOwners?.map((owner) => owner.full_name).sort()).toEqual([LISTED_OWNER.fullName, OWNER.fullName].sort());
      expect(document.records.taxTransactions).toHaveLength(201);
      const submitted = document.auditEntries.find((entry) => entry.action === 'verification.submitted');
      expect(submitted?.personal).toMatchObject({ contactEmail: CONTACT, beneficialOwners: expect.arrayContaining([expect.objectContaining({ fullName: OWNER.fullName })]) });
      expect(completed.outcome).toMatchObject({ exported: { verifications: 1, taxTransactions: 201, auditEntries: document.auditEntries.length } });
    });

    it('refuses a tampered, foreign or expired link without giving anything away', async () => {
      const link = (await request('POST', `requests/${exportRequest.id}/export-link`, officer)).json<{ url: string }>();
      const url = new URL(link.url, 'http://service');
      const signature = url.searchParams.get('signature') as string;
      const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
      expectProblem(await app.inject({ method: 'GET', url: `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${flipped}` }), 403, 'PRIVACY.EXPORT_LINK_REJECTED');
      const later = Number(url.searchParams.get('expires')) + 3600;
      expectProblem(await app.inject({ method: 'GET', url: `${url.pathname}?expires=${later}&signature=${signature}` }), 403, 'PRIVACY.EXPORT_LINK_REJECTED');
      const stranger = await callerOf(['compliance_officer']);
      expectProblem(await app.inject({ method: 'GET', url: `/privacy-exports/${stranger.tenantId}/${exportRequest.id}?expires=${url.searchParams.get('expires')}&signature=${signature}` }), 403, 'PRIVACY.EXPORT_LINK_REJECTED');
      expect(invalidFields(await app.inject({ method: 'GET', url: `${url.pathname}?expires=soon&signature=xyz` }))).toEqual(expect.arrayContaining(['expires', 'signature']));
      // A link that was valid but has lived past its lifetime: signed for a time in the past.
      const stale = app.get(ExportLinkSigner).sign(officer.tenantId, exportRequest.id, new Date(Date.now() - 3_600_000));
      expect(expectProblem(await app.inject({ method: 'GET', url: stale.url }), 403, 'PRIVACY.EXPORT_LINK_REJECTED').detail).toMatch(/expired/);
    });

    it('erases: deletes what no law keeps, restricts IRS and OFAC records, shreds the audit values; the chain still verifies', async () => {
      const erasure = await create(venueId, 'erasure');
      expect((await request('POST', `requests/${erasure.id}/complete`, officer)).statusCode).toBe(403);
      const completed = await complete(erasure.id);
      expect(completed.outcome).toMatchObject({
        deleted: { documents: 1, risk_assessments: 1, risk_overrides: 1, risk_flags: 1 },
        anonymised: { venue_verifications: 1, verification_decisions: 1 },
        restricted: {
          venue_verifications: { rows: 1, rule: 'ofac' },
          beneficial_owners: { rows: 2, rule: 'ofac' },
          documents: { rows: 1, rule: 'irs_form_copies' },
          screening_alerts: { rows: 1, rule: 'ofac' },
          screening_dispositions: { rows: 1, rule: 'ofac' },
          tax_transactions: { rows: 201, rule: 'irs_records' },
          tax_forms: { rows: 1, rule: 'irs_form_copies' },
        },
        exportsDeleted: 1,
      });
      expect((completed.outcome?.restricted as Record<string, { rows: number }>).screenings?.rows).toBeGreaterThan(0);
      expect(completed.outcome?.auditEntriesShredded).toBeGreaterThanOrEqual(3);

      // Every normal read (the application role, under row-level security) no longer sees the subject.
      expectProblem(await app.inject({ method: 'GET', url: `/api/v1/verifications/${verificationId}`, headers: officer.headers }), 404, 'RESOURCE.NOT_FOUND');
      expect((await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/verifications`, headers: officer.headers })).json<{ items: unknown[] }>().items).toEqual([]);
      expect((await app.inject({ method: 'GET', url: `/api/v1/alerts?venueId=${venueId}`, headers: officer.headers })).json<{ items: unknown[] }>().items).toEqual([]);
      expect((await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/documents`, headers: officer.headers })).json<{ items: unknown[] }>().items).toEqual([]);
      const summary = (await app.inject({ method: 'GET', url: `/api/v1/tax/venues/${venueId}/summary?year=${TAX_YEAR}`, headers: officer.headers })).json<{ transactions: number }>();
      expect(summary.transactions).toBe(0);
      expect((await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${TAX_YEAR}`, headers: officer.headers })).json<{ items: unknown[] }>().items).toEqual([]);

      // Kept rows are still in the table, marked with their basis; deleted and anonymised ones are gone.
      expect(await count("SELECT 1 FROM tax_transactions WHERE venue_id = $1 AND restriction_basis = 'irs_records'", [venueId])).toBe(201);
      expect(await count("SELECT 1 FROM documents WHERE venue_id = $1 AND kind <> 'W9'", [venueId])).toBe(0);
      expect(await count('SELECT 1 FROM risk_assessments WHERE venue_id = $1', [venueId])).toBe(0);
      expect((await db.query<{ contact_email: string }>('SELECT contact_email FROM venue_verifications WHERE id = $1', [verificationId])).rows).toEqual([{ contact_email: '' }]);

      // The audit chain verifies, through the API and the CLI, and the erased values are gone for good.
      expect(await verifyChain(app, manager)).toMatchObject({ intact: true, firstBroken: null });
      const cli = await runCompiled('modules/audit/audit-verify.cli.js', [], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
      expect({ code: cli.code, summary: cli.stdout.trim().split('\n').at(-1) }).toEqual({ code: 0, summary: expect.stringMatching(/chain\(s\) checked, 0 broken$/) });
      expect(cli.stdout).toContain(`intact  ${officer.tenantId}`);
      const entries = (await allAuditEntries(app, manager)).filter((entry) => (entry as AuditItem & { subjectId: string | null }).subjectId === venueId) as SubjectDocument['auditEntries'];
      const submitted = entries.find((entry) => entry.action === 'verification.submitted');
      expect(submitted).toMatchObject({ personal: null, personalErased: true });
      expect(await count("SELECT 1 FROM audit_subject_salts WHERE subject_id = $1", [venueId])).toBe(0);
      expect(await count('SELECT 1 FROM audit_personal_values WHERE subject_id = $1', [venueId])).toBe(0);
      const traces = await count(
        "SELECT 1 FROM audit_log WHERE before_state::text ~ $1 OR after_state::text ~ $1 UNION ALL SELECT 1 FROM domain_events WHERE payload::text ~ $1",
        [`${OWNER.fullName}|${CONTACT}|passport-grace-hopper`],
      );
      expect(traces).toBe(0);
    });

    it('shows restricted records only to a compliance manager who gives a reason, and audits the read', async () => {
      expect((await request('GET', `subjects/${venueId}/restricted-records?reason=${encodeURIComponent('IRS audit of 2026')}`, officer)).statusCode).toBe(403);
      expect(invalidFields(await request('GET', `subjects/${venueId}/restricted-records`, manager))).toEqual(['reason']);
      const response = await request('GET', `subjects/${venueId}/restricted-records?reason=${encodeURIComponent('IRS audit of 2026')}`, manager);
      expect(response.statusCode).toBe(200);
      const document = response.json<SubjectDocument>();
      expect(document.records.taxTransactions).toHaveLength(201);
      expect(document.records.verifications?.[0]).toMatchObject({ id: verificationId, restriction_basis: 'ofac', contact_email: '' });
      expect(document.records.riskAssessments).toEqual([]);
      const reads = (await allAuditEntries(app, manager, { action: 'privacy.restricted_records_read' })).map((entry) => entry.after);
      expect(reads).toEqual([{ reason: 'IRS audit of 2026' }]);
    });

    it('detects a personal value changed behind the chain while its subject is not erased', async () => {
      const other = await create('venue-tampered', 'access');
      await db.query("UPDATE audit_personal_values SET personal = jsonb_set(personal, '{reason}', '\"forged\"') WHERE audit_id = (SELECT id FROM audit_log WHERE entity_id = $1::text)", [other.id]);
      expect(await verifyChain(app, manager)).toMatchObject({ intact: false, firstBroken: { reason: expect.stringMatching(/personal values were changed/) } });
      await db.query("UPDATE audit_personal_values SET personal = jsonb_set(personal, '{reason}', to_jsonb('Subject asked for access by e-mail'::text)) WHERE audit_id = (SELECT id FROM audit_log WHERE entity_id = $1::text)", [other.id]);
      expect(await verifyChain(app, manager)).toMatchObject({ intact: true });
    });

    it('the retention job deletes restricted records past their period, keeps the rest, and audits the counts', async () => {
      await db.query("UPDATE tax_transactions SET occurred_at = occurred_at - interval '5 years' WHERE venue_id = $1", [venueId]);
      await db.query("UPDATE privacy_exports SET created_at = now() - interval '45 days'");
      const progress = await runJob('retention-enforcement');
      expect(progress).toMatchObject({ tax_transactions: 201, tenants: expect.any(Number) });
      expect(await count('SELECT 1 FROM tax_transactions WHERE venue_id = $1', [venueId])).toBe(0);
      expect(await count('SELECT 1 FROM tax_forms WHERE venue_id = $1', [venueId])).toBe(1);
      expect(await count('SELECT 1 FROM screening_alerts WHERE venue_id = $1', [venueId])).toBe(1);
      expect(await count('SELECT 1 FROM privacy_exports', [])).toBe(0);
      const entries = await allAuditEntries(app, manager, { action: 'privacy.retention_enforced' });
      expect(entries.map((entry) => entry.after)).toEqual([expect.objectContaining({ deleted: expect.objectContaining({ tax_transactions: 201 }) })]);
      expect(await verifyChain(app, manager)).toMatchObject({ intact: true });
      expect(await runJob('retention-enforcement')).not.toHaveProperty('tax_transactions');
    });

    it('still files the erased payee\'s Form 1099-K (the obligation its records are kept for), restricted as it is written', async () => {
      const year = TAX_YEAR - 1;
      await insertCharges(app.get(DataSource), officer.tenantId, venueId, year, 201, 2_500_000);
      expect((await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${year}/generate`, headers: admin.headers })).json()).toMatchObject({ generated: 1, skippedWithoutPayee: 0 });
      expect((await db.query('SELECT restriction_basis, tin_last4 FROM tax_forms WHERE venue_id = $1 AND tax_year = $2 AND restricted_at IS NOT NULL', [venueId, year])).rows).toEqual([{ restriction_basis: 'irs_form_copies', tin_last4: '6789' }]);
      expect((await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${year}`, headers: officer.headers })).json<{ items: unknown[] }>().items).toEqual([]);
    });
  });

  it('reminds once per open request and due date before it is due, as a privacy.request_due_soon event', async () => {
    const soon = await create('venue-reminded', 'access');
    await db.query("UPDATE privacy_requests SET due_at = now() + interval '3 days' WHERE id = $1", [soon.id]);
    const events = () => db.query<{ payload: Record<string, unknown>; resource_key: string }>("SELECT payload, resource_key FROM domain_events WHERE type = 'privacy.request_due_soon' AND payload->>'requestId' = $1", [soon.id]);
    await runJob('privacy-due-reminders');
    expect((await events()).rows).toEqual([{ resource_key: `privacy_request:${soon.id}`, payload: expect.objectContaining({ requestId: soon.id, subjectId: 'venue-reminded', requestType: 'access', overdue: false }) }]);
    await runJob('privacy-due-reminders');
    expect((await events()).rows).toHaveLength(1);
    await request('POST', `requests/${soon.id}/extend`, officer, { months: 1, reason: 'Waiting for the tax records' });
    await db.query("UPDATE privacy_requests SET due_at = now() + interval '2 days' WHERE id = $1", [soon.id]);
    await runJob('privacy-due-reminders');
    expect((await events()).rows).toHaveLength(2);
  });
});
