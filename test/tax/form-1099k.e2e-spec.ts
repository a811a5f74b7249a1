import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import type { Client } from 'pg';
import { ROLES } from '../../src/auth/roles';
import { FieldCipher } from '../../src/crypto/field-cipher';
import { expectProblem, invalidFields } from '../helpers/problem';
import { charge, insertCharges, recordTransaction, refund } from '../helpers/tax-flow';
import { snapshotTenant, superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';

const YEAR = 2026;
const LEGAL_NAME = 'Hall, "The" Over LLC';

interface Summary {
  grossMinor: number;
  transactions: number;
  reversedMinor: number;
  netMinor: number;
  monthlyGrossMinor: number[];
  requiresForm: boolean;
  thresholds: Array<{ jurisdiction: string; grossExceeded: boolean; transactionsExceeded: boolean; met: boolean; grossThresholdMinor: number; transactionThreshold: number | null }>;
}

describe('Form 1099-K tracking on a generated year of transactions', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let service: TestCaller;
  let officer: TestCaller;
  let admin: TestCaller;
  let tenantId: string;

  const summaryOf = async (venueId: string, caller = officer): Promise<Summary> => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/tax/venues/${venueId}/summary?year=${YEAR}`, headers: caller.headers });
    expect(response.statusCode).toBe(200);
    return response.json<Summary>();
  };
  const expectCreated = async (body: Record<string, unknown>): Promise<void> => {
    const response = await recordTransaction(app, service, body);
    if (response.statusCode !== 201) throw new Error(`${response.statusCode} ${response.body}`);
  };
  const crossings = async (): Promise<Array<{ dedup_key: string; payload: Record<string, unknown> }>> =>
    (await db.query("SELECT dedup_key, payload FROM domain_events WHERE tenant_id = $1 AND type = 'tax.threshold_crossed' ORDER BY dedup_key", [tenantId])).rows;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
    service = await callerOf(['service']);
    tenantId = service.tenantId;
    officer = await callerOf(['compliance_officer'], { tenantId });
    admin = await callerOf(['admin'], { tenantId });
    for (const venueId of ['hall-over', 'hall-under-amount', 'hall-under-count', 'hall-refunds']) {
      await startVerification(app, officer, venueId, { legalName: venueId === 'hall-over' ? LEGAL_NAME : `${venueId} LLC` });
    }
    // Just over both: 201 charges, $20,000.01.
    await insertCharges(db, tenantId, 'hall-over', YEAR, 200, 1_999_999);
    await expectCreated(charge('over-201', 'hall-over', 2));
    // Just under by amount: 201 charges, exactly $20,000.00.
    await insertCharges(db, tenantId, 'hall-under-amount', YEAR, 200, 1_999_999);
    await expectCreated(charge('under-amount-201', 'hall-under-amount', 1));
    await expectCreated({ ...charge('under-amount-transfer', 'hall-under-amount', 50_000), kind: 'transfer' });
    // Just under by count: exactly 200 charges, $50,000.
    await insertCharges(db, tenantId, 'hall-under-count', YEAR, 199, 4_999_000);
    await expectCreated(charge('under-count-200', 'hall-under-count', 1_000));
    // Over, then refunded and charged back: the gross stays.
    await insertCharges(db, tenantId, 'hall-refunds', YEAR, 200, 2_000_000);
    await expectCreated(charge('refunds-c1', 'hall-refunds', 5_000, '2026-12-31T23:59:59Z'));
    await expectCreated(refund('refunds-r1', 'refunds-c1', 'hall-refunds', 3_000));
    await expectCreated({ ...refund('refunds-cb1', 'refunds-c1', 'hall-refunds', 2_000), kind: 'chargeback' });
    // Over, but the venue never submitted its legal name and EIN.
    await insertCharges(db, tenantId, 'hall-no-payee', YEAR, 250, 3_000_000);
    await expectCreated(charge('no-payee-251', 'hall-no-payee', 100));
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  it('answers a repeated transaction with 200 and the stored record, and another body under the same id with 409', async () => {
    const first = await recordTransaction(app, service, charge('idem-1', 'hall-idem', 1_234));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ externalId: 'idem-1', venueId: 'hall-idem', amount: 1_234, currency: 'USD', kind: 'charge', originalExternalId: null, source: 'api', occurredAt: '2026-03-15T18:00:00.000Z' });
    const again = await recordTransaction(app, service, { ...charge('idem-1', 'hall-idem', 1_234), occurredAt: '2026-03-15T13:00:00-05:00' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const other = expectProblem(await recordTransaction(app, service, charge('idem-1', 'hall-idem', 1_235)), 409, 'TAX.TRANSACTION_CONFLICT');
    expect(other.detail).toContain('amount');
  });

  it('counts charges toward gross and count, and neither refunds, chargebacks nor transfers', async () => {
    const refunds = await summaryOf('hall-refunds');
    expect(refunds).toMatchObject({ grossMinor: 2_005_000, transactions: 201, reversedMinor: 5_000, netMinor: 2_000_000, requiresForm: true });
    expect(refunds.monthlyGrossMinor[11]).toBe(Math.floor(2_000_000 / 200) * Math.floor(200 / 12) + 5_000);
    expect(refunds.monthlyGrossMinor.reduce((sum, amount) => sum + amount, 0)).toBe(refunds.grossMinor);
    const underAmount = await summaryOf('hall-under-amount');
    expect(underAmount).toMatchObject({ grossMinor: 2_000_000, transactions: 201, requiresForm: false });
    expect(underAmount.thresholds).toEqual([
      expect.objectContaining({ jurisdiction: 'US', grossThresholdMinor: 2_000_000, transactionThreshold: 200, grossExceeded: false, transactionsExceeded: true, met: false }),
    ]);
  });

  it('tells apart just over and just under each federal threshold, by amount and by count', async () => {
    expect((await summaryOf('hall-over')).thresholds[0]).toMatchObject({ grossExceeded: true, transactionsExceeded: true, met: true });
    expect((await summaryOf('hall-over')).grossMinor).toBe(2_000_001);
    expect((await summaryOf('hall-under-count')).thresholds[0]).toMatchObject({ grossExceeded: true, transactionsExceeded: false, met: false });
    expect(await summaryOf('hall-nothing')).toMatchObject({ grossMinor: 0, transactions: 0, monthlyGrossMinor: Array(12).fill(0), requiresForm: false });
  });

  it('refuses refunds of unknown charges and refunds beyond what remains, writing nothing', async () => {
    const before = await snapshotTenant(db, tenantId);
    expectProblem(await recordTransaction(app, service, refund('refunds-r-unknown', 'no-such-charge', 'hall-refunds', 1)), 422, 'TAX.UNKNOWN_ORIGINAL');
    expectProblem(await recordTransaction(app, service, refund('refunds-r-other-venue', 'over-201', 'hall-refunds', 1)), 422, 'TAX.UNKNOWN_ORIGINAL');
    expectProblem(await recordTransaction(app, service, refund('refunds-r-too-much', 'refunds-c1', 'hall-refunds', 1)), 422, 'TAX.REVERSAL_EXCEEDS_ORIGINAL');
    expect(await snapshotTenant(db, tenantId)).toEqual(before);
  });

  it('records each threshold crossing once per venue, year and jurisdiction', async () => {
    await expectCreated(charge('over-202', 'hall-over', 500));
    const events = await crossings();
    expect(events.map((event) => event.dedup_key)).toEqual(['2026/US/hall-no-payee', '2026/US/hall-over', '2026/US/hall-refunds']);
    expect(events[1]?.payload).toMatchObject({ venueId: 'hall-over', taxYear: 2026, jurisdiction: 'US', grossMinor: 2_000_001, transactions: 201, crossedBy: 'over-201' });
  });

  it('lists the venues requiring a 1099-K, as JSON and as escaped CSV', async () => {
    const json = await app.inject({ method: 'GET', url: `/api/v1/tax/reports/${YEAR}`, headers: officer.headers });
    expect(json.statusCode).toBe(200);
    const items = json.json<{ items: Array<{ venueId: string; legalName: string | null; jurisdictions: string[] }> }>().items;
    expect(items.map((item) => [item.venueId, item.legalName, item.jurisdictions])).toEqual([
      ['hall-no-payee', null, ['US']],
      ['hall-over', LEGAL_NAME, ['US']],
      ['hall-refunds', 'hall-refunds LLC', ['US']],
    ]);
    const csv = await app.inject({ method: 'GET', url: `/api/v1/tax/reports/${YEAR}`, headers: { ...officer.headers, accept: 'text/csv' } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="1099-k-2026.csv"');
    expect(csv.body).toContain('"Hall, ""The"" Over LLC"');
    const rows = parse(csv.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((row) => [row.venue_id, row.legal_name, row.gross_usd, row.transactions, row.refunds_and_chargebacks_usd])).toEqual([
      ['hall-no-payee', '', '30001.00', '251', '0.00'],
      ['hall-over', LEGAL_NAME, expect.stringMatching(/^200\d\d\.\d\d$/), expect.stringMatching(/^20[12]$/), '0.00'],
      ['hall-refunds', 'hall-refunds LLC', '20050.00', '201', '50.00'],
    ]);
  });

  it('generates one form per qualifying venue with its payee, the EIN sealed and masked, and changes nothing when run again', async () => {
    const generate = () => app.inject({ method: 'POST', url: `/api/v1/tax/forms/${YEAR}/generate`, headers: admin.headers });
    const first = await generate();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ taxYear: YEAR, qualifying: 3, generated: 2, alreadyGenerated: 0, skippedWithoutPayee: 1 });

    const forms = (await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${YEAR}`, headers: officer.headers })).json<{ items: Array<Record<string, unknown> & { monthlyGrossMinor: number[]; grossMinor: number }> }>().items;
    expect(forms.map((form) => [form.venueId, form.legalName, form.tin, form.correctsId, form.jurisdictions])).toEqual([
      ['hall-over', LEGAL_NAME, '**-***6789', null, ['US']],
      ['hall-refunds', 'hall-refunds LLC', '**-***6789', null, ['US']],
    ]);
    expect(forms[1]).toMatchObject({ grossMinor: 2_005_000, transactions: 201 });
    for (const form of forms) expect(form.monthlyGrossMinor.reduce((sum, amount) => sum + amount, 0)).toBe(form.grossMinor);
    expect(JSON.stringify(forms)).not.toContain('3456789');

    const { rows } = await db.query<{ tin_ciphertext: Buffer; tin_key_id: string }>('SELECT tin_ciphertext, tin_key_id FROM tax_forms WHERE tenant_id = $1', [tenantId]);
    for (const row of rows) {
      expect(row.tin_ciphertext.toString('latin1')).not.toContain('3456789');
      expect(app.get(FieldCipher).open({ ciphertext: row.tin_ciphertext, keyId: row.tin_key_id })).toBe('12-3456789');
    }
    const audit = await db.query("SELECT entity_id FROM audit_log WHERE tenant_id = $1 AND action = 'tax.form_generated'", [tenantId]);
    expect(audit.rows.map((row: { entity_id: string }) => row.entity_id).sort()).toEqual(forms.map((form) => form.id).sort());

    const before = await snapshotTenant(db, tenantId);
    const second = await generate();
    expect(second.json()).toEqual({ taxYear: YEAR, qualifying: 3, generated: 0, alreadyGenerated: 2, skippedWithoutPayee: 1 });
    expect(await snapshotTenant(db, tenantId)).toEqual(before);
  });

  it('corrects a form with a new linked record, once', async () => {
    const forms = (await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${YEAR}`, headers: officer.headers })).json<{ items: Array<{ id: string; venueId: string; grossMinor: number }> }>().items;
    const original = forms.find((form) => form.venueId === 'hall-over') as { id: string; grossMinor: number };
    await expectCreated(charge('over-late', 'hall-over', 10_000, '2026-11-02T10:00:00Z'));
    const corrected = await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${original.id}/corrections`, headers: admin.headers });
    expect(corrected.statusCode).toBe(201);
    expect(corrected.json()).toMatchObject({ venueId: 'hall-over', correctsId: original.id, grossMinor: original.grossMinor + 10_000, tin: '**-***6789' });
    expectProblem(await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${original.id}/corrections`, headers: admin.headers }), 409, 'TAX.FORM_ALREADY_CORRECTED');
    const report = (await app.inject({ method: 'GET', url: `/api/v1/tax/reports/${YEAR}`, headers: officer.headers })).json<{ items: Array<{ venueId: string; formId: string }> }>().items;
    expect(report.find((item) => item.venueId === 'hall-over')?.formId).toBe(corrected.json<{ id: string }>().id);
  });

  it('lets only the roles of each route call it', async () => {
    expectProblem(await recordTransaction(app, officer, charge('by-officer', 'hall-x', 1)), 403, 'AUTH.FORBIDDEN');
    expectProblem(await app.inject({ method: 'GET', url: `/api/v1/tax/venues/hall-over/summary`, headers: service.headers }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${YEAR}/generate`, headers: officer.headers }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/tax/transactions', payload: charge('anonymous', 'hall-x', 1) }), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('answers bad input with 400 problem+json naming the field, and writes no row', async () => {
    const before = await snapshotTenant(db, tenantId);
    const record = (body: Record<string, unknown>) => recordTransaction(app, service, body);
    expect(invalidFields(await record({ ...charge('bad-1', 'hall-x', 1), amount: 1.5 }))).toEqual(['amount']);
    expect(invalidFields(await record({ ...charge('bad-2', 'hall-x', 1), currency: 'EUR' }))).toEqual(['currency']);
    expect(invalidFields(await record({ ...charge('bad-3', 'hall-x', 1), currency: 'usd' }))).toEqual(['currency']);
    expect(invalidFields(await record({ ...charge('bad-4', 'hall-x', 1), occurredAt: '2026-03-15T18:00:00' }))).toEqual(['occurredAt']);
    expect(invalidFields(await record({ ...charge('bad-5', 'hall-x', 1), kind: 'payout' }))).toEqual(['kind']);
    expect(invalidFields(await record({ ...refund('bad-6', 'over-201', 'hall-over', 1), amount: 5 }))).toEqual(['amount']);
    expect(invalidFields(await record({ ...refund('bad-7', 'over-201', 'hall-over', 1), originalExternalId: undefined }))).toEqual(['originalExternalId']);
    expect(invalidFields(await record({ ...charge('bad-8', 'hall-x', 1), originalExternalId: 'over-201' }))).toEqual(['originalExternalId']);
    expect(invalidFields(await record({ ...charge('bad-9', 'hall-x', -1) }))).toEqual(['amount']);
    expect(invalidFields(await record({ ...charge('bad-10', 'hall-x', 1), tenantId: 'x' }))).toEqual(['(root)']);
    expect(invalidFields(await record({ ...charge('', 'hall-x', 1) }))).toEqual(['externalId']);
    expect(invalidFields(await app.inject({ method: 'GET', url: '/api/v1/tax/venues/hall-over/summary?year=1999', headers: officer.headers }))).toEqual(['year']);
    expect(invalidFields(await app.inject({ method: 'GET', url: '/api/v1/tax/reports/twenty', headers: officer.headers }))).toEqual(['year']);
    expect(invalidFields(await app.inject({ method: 'POST', url: '/api/v1/tax/forms/not-a-uuid/corrections', headers: admin.headers }))).toEqual(['id']);
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/tax/forms/2031/generate', headers: admin.headers }), 422, 'TAX.NO_THRESHOLD_FOR_YEAR');
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/tax/transactions', headers: { ...service.headers, 'content-type': 'application/json' }, payload: '{"externalId": ' }), 400, 'REQUEST.INVALID');
    expect(await snapshotTenant(db, tenantId)).toEqual(before);
  });

  it('shows another tenant nothing of this one: an empty year, an empty report, 404 for its forms', async () => {
    const other = await callerOf([...ROLES]);
    const summary = await summaryOf('hall-over', other);
    expect(summary).toMatchObject({ grossMinor: 0, transactions: 0, requiresForm: false });
    expect((await app.inject({ method: 'GET', url: `/api/v1/tax/reports/${YEAR}`, headers: other.headers })).json()).toEqual({ taxYear: YEAR, currency: 'USD', items: [] });
    expect((await app.inject({ method: 'GET', url: `/api/v1/tax/forms/${YEAR}`, headers: other.headers })).json()).toEqual({ items: [] });
    const { rows } = await db.query<{ id: string }>('SELECT id FROM tax_forms WHERE tenant_id = $1 LIMIT 1', [tenantId]);
    expectProblem(await app.inject({ method: 'POST', url: `/api/v1/tax/forms/${rows[0]?.id}/corrections`, headers: other.headers }), 404, 'RESOURCE.NOT_FOUND');
    // External ids are per tenant: the other tenant's charge of the same id is its own.
    expect((await recordTransaction(app, other, charge('over-201', 'hall-over', 7))).statusCode).toBe(201);
    expect((await summaryOf('hall-over')).grossMinor).toBeGreaterThan(2_000_000);
  });
});
