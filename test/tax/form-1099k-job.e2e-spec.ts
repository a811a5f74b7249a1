import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { JobsService } from '../../src/jobs/jobs.service';
import { TAX_FORM_1099K_GENERATION_JOB } from '../../src/modules/tax/forms/tax-form-1099k-generation.job';
import { migratedScratchDatabase } from '../helpers/flag-store';
import { type FinishedJobRun, finishedRun, runJobNow } from '../helpers/job-runs';
import { insertCharges } from '../helpers/tax-flow';
import { snapshotTenant, superuserClient } from '../helpers/tenant-tables';
import { testConfig } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';

/** What the job generates by default: the calendar year before this one. */
const LAST_YEAR = new Date().getUTCFullYear() - 1;
const ACTOR = 'job:tax-form-1099k-generation';

interface Tenant {
  officer: TestCaller;
  manager: TestCaller;
}

describe('the tax-form-1099k-generation job', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let db: Client;
  let admin: TestCaller;
  let first: Tenant;
  let second: Tenant;
  /** Transactions two years back only: the default run does not visit it. */
  let older: Tenant;

  const newTenant = async (): Promise<Tenant> => {
    const officer = await callerOf(['compliance_officer']);
    return { officer, manager: await callerOf(['compliance_manager'], { tenantId: officer.tenantId }) };
  };
  /** 201 charges adding up to $20,000.01: just over both federal thresholds. */
  const qualifyingVenue = async (tenant: Tenant, venueId: string, year = LAST_YEAR, withPayee = true): Promise<void> => {
    if (withPayee) await startVerification(app, tenant.officer, venueId, { legalName: `${venueId} LLC` });
    await insertCharges(db, tenant.officer.tenantId, venueId, year, 201, 2_000_001);
  };
  const runNow = (): Promise<FinishedJobRun> => runJobNow(app, admin, database.url, TAX_FORM_1099K_GENERATION_JOB.name);
  const formsOf = async (tenant: Tenant, year = LAST_YEAR) =>
    (await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${year}`, headers: tenant.officer.headers })).json<{ items: Array<{ id: string; venueId: string; generatedBy: string; transactions: number }> }>().items;

  beforeAll(async () => {
    // A database of its own: the job visits every tenant with transactions, and other suites' apps
    // must not take its runs.
    database = await migratedScratchDatabase('taxjob');
    app = await createApp(testConfig({ DATABASE_URL: database.url, JOBS_POLL_INTERVAL_SECONDS: '0.5' }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    db = await superuserClient(database.url);
    admin = await callerOf(['admin']);
    [first, second, older] = [await newTenant(), await newTenant(), await newTenant()];

    await qualifyingVenue(first, 'first-over');
    await qualifyingVenue(first, 'first-no-payee', LAST_YEAR, false);
    await startVerification(app, first.officer, 'first-under');
    await insertCharges(db, first.officer.tenantId, 'first-under', LAST_YEAR, 200, 5_000_000);
    // This year's payments are next January's forms.
    await qualifyingVenue(first, 'first-this-year', LAST_YEAR + 1);
    await qualifyingVenue(second, 'second-over-1');
    await qualifyingVenue(second, 'second-over-2');
    await qualifyingVenue(older, 'older-over', LAST_YEAR - 1);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await database?.drop();
  });

  it('generates last year\'s forms for the qualifying venues of every tenant with transactions, as the job, reporting counts on the run', async () => {
    const run = await runNow();
    expect(run).toEqual({
      status: 'succeeded',
      error_message: null,
      progress: { taxYear: LAST_YEAR, tenants: 2, tenantsDone: 2, tenantsFailed: 0, qualifying: 4, generated: 3, alreadyGenerated: 0, skippedWithoutPayee: 1 },
    });

    const firstForms = await formsOf(first);
    expect(firstForms.map((form) => [form.venueId, form.generatedBy, form.transactions])).toEqual([['first-over', ACTOR, 201]]);
    expect((await formsOf(second)).map((form) => [form.venueId, form.generatedBy])).toEqual([['second-over-1', ACTOR], ['second-over-2', ACTOR]]);
    expect(await formsOf(first, LAST_YEAR + 1)).toEqual([]);
    expect(await formsOf(older, LAST_YEAR - 1)).toEqual([]);

    const audit = await app.inject({ method: 'GET', url: `/api/v1/audit?actor=${ACTOR}`, headers: first.manager.headers });
    expect(audit.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ actor: ACTOR, actorRoles: [], requestId: null, action: 'tax.form_generated', resourceType: 'tax_form', resourceId: firstForms[0]?.id }),
    ]);
    for (const tenant of [first, second]) {
      const chain = await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: tenant.manager.headers });
      expect(chain.json()).toMatchObject({ intact: true });
    }
  }, 40_000);

  it('changes nothing on a second run', async () => {
    const before = await Promise.all([first, second].map((tenant) => snapshotTenant(db, tenant.officer.tenantId)));
    const run = await runNow();
    expect(run).toEqual({
      status: 'succeeded',
      error_message: null,
      progress: { taxYear: LAST_YEAR, tenants: 2, tenantsDone: 2, tenantsFailed: 0, qualifying: 4, generated: 0, alreadyGenerated: 3, skippedWithoutPayee: 1 },
    });
    expect(await Promise.all([first, second].map((tenant) => snapshotTenant(db, tenant.officer.tenantId)))).toEqual(before);
  }, 30_000);

  it('generates another year when the job data names it', async () => {
    const jobId = await app.get(JobsService).enqueue(TAX_FORM_1099K_GENERATION_JOB, { year: LAST_YEAR - 1 });
    expect(await finishedRun(database.url, jobId as string)).toEqual({
      status: 'succeeded',
      error_message: null,
      progress: { taxYear: LAST_YEAR - 1, tenants: 1, tenantsDone: 1, tenantsFailed: 0, qualifying: 1, generated: 1, alreadyGenerated: 0, skippedWithoutPayee: 0 },
    });
    expect((await formsOf(older, LAST_YEAR - 1)).map((form) => [form.venueId, form.generatedBy])).toEqual([['older-over', ACTOR]]);
  }, 30_000);
});
