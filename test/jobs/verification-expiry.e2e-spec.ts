import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { VERIFICATION_EXPIRY_JOB } from '../../src/modules/venues/verifications/verification-expiry.job';
import { pdfBytes } from '../fixtures/document-bytes';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { runJobNow } from '../helpers/job-runs';
import { testConfig } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, upload } from '../helpers/venue-flow';

interface Tenant {
  officer: TestCaller;
  manager: TestCaller;
  payments: TestCaller;
}

describe('the verification-expiry job', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let admin: TestCaller;

  const sql = <T>(text: string, parameters: unknown[] = []) => queryDatabase<T>(database.url, text, parameters);
  const newTenant = async (): Promise<Tenant> => {
    const officer = await callerOf(['compliance_officer']);
    return {
      officer,
      manager: await callerOf(['compliance_manager'], { tenantId: officer.tenantId }),
      payments: await callerOf(['service'], { tenantId: officer.tenantId, userId: 'payments-service' }),
    };
  };
  const verifiedVenue = async (tenant: Tenant, venueId: string): Promise<string> => {
    const verification = await startVerification(app, tenant.officer, venueId);
    const ownerId = verification.beneficialOwners[0]?.id as string;
    const w9 = await upload(app, tenant.officer, venueId, { kind: 'W9' }, pdfBytes(`${venueId}-w9`));
    const id = await upload(app, tenant.officer, venueId, { kind: 'ID', ownerId }, pdfBytes(`${venueId}-id`));
    await acceptDocument(app, tenant.officer, w9.json().id);
    await acceptDocument(app, tenant.officer, id.json().id);
    expect((await decide(app, tenant.officer, verification.id, 'approve')).statusCode).toBe(200);
    return verification.id;
  };
  const eligibility = async (tenant: Tenant, venueId: string) =>
    (await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility`, headers: tenant.payments.headers })).json<{ eligible: boolean; disabled_reason: string | null }>();
  const stateOf = async (tenant: Tenant, id: string) => (await app.inject({ method: 'GET', url: `/api/v1/verifications/${id}`, headers: tenant.officer.headers })).json<{ state: string }>().state;

  beforeAll(async () => {
    database = await migratedScratchDatabase('expiry');
    app = await createApp(testConfig({ DATABASE_URL: database.url, JOBS_POLL_INTERVAL_SECONDS: '0.5' }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    admin = await callerOf(['admin']);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('expires lapsed verifications of every tenant, turns payouts off and audits each as the job', async () => {
    const [first, second] = [await newTenant(), await newTenant()];
    const lapsedFirst = await verifiedVenue(first, 'venue-lapsed-1');
    const stillValid = await verifiedVenue(first, 'venue-valid');
    const lapsedSecond = await verifiedVenue(second, 'venue-lapsed-2');
    expect(await eligibility(first, 'venue-lapsed-1')).toMatchObject({ eligible: true });
    await sql("UPDATE venue_verifications SET expires_at = now() - interval '1 minute' WHERE id = ANY($1)", [[lapsedFirst, lapsedSecond]]);

    const run = await runJobNow(app, admin, database.url, VERIFICATION_EXPIRY_JOB.name);
    expect(run).toEqual({ status: 'succeeded', error_message: null, progress: { expired: 2, batches: 1, tenants: 2 } });

    expect(await stateOf(first, lapsedFirst)).toBe('expired');
    expect(await stateOf(second, lapsedSecond)).toBe('expired');
    expect(await stateOf(first, stillValid)).toBe('verified');
    expect(await eligibility(first, 'venue-lapsed-1')).toEqual({ eligible: false, disabled_reason: 'requirements.past_due', requirements_due: expect.any(Array) });
    expect(await eligibility(first, 'venue-valid')).toMatchObject({ eligible: true });
    // The stored answer changed too (the state alone no longer says verified).
    expect(await sql('SELECT payout_disabled_reason FROM venue_verifications WHERE id = $1', [lapsedSecond])).toEqual([{ payout_disabled_reason: 'requirements.past_due' }]);

    for (const [tenant, id] of [[first, lapsedFirst], [second, lapsedSecond]] as const) {
      const audit = await app.inject({ method: 'GET', url: '/api/v1/audit?actor=job:verification-expiry', headers: tenant.manager.headers });
      expect(audit.json<{ items: unknown[] }>().items).toEqual([
        expect.objectContaining({ actor: 'job:verification-expiry', action: 'verification.expired', resourceType: 'verification', resourceId: id, before: { state: 'verified' }, after: expect.objectContaining({ state: 'expired' }) }),
      ]);
      const chain = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: tenant.manager.headers });
      expect(chain.json()).toMatchObject({ intact: true });
    }
  }, 40_000);

  it('changes nothing on a second run', async () => {
    const before = await sql<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE actor = 'job:verification-expiry'");
    expect((await runJobNow(app, admin, database.url, VERIFICATION_EXPIRY_JOB.name)).status).toBe('succeeded');
    expect(await sql("SELECT count(*)::int AS count FROM audit_log WHERE actor = 'job:verification-expiry'")).toEqual(before);
  }, 20_000);
});
