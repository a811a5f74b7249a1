import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { FixedClock } from '../fixtures/fixed-clock';
import { startOverridableApp } from '../helpers/overridable-app';
import { assess, type RiskFactorItem, verifiedVenue } from '../helpers/risk-flow';
import { charge, insertCharges, recordTransaction, refund } from '../helpers/tax-flow';
import { superuserClient } from '../helpers/tenant-tables';
import { callerOf, type TestCaller } from '../helpers/tokens';

/** A year no other suite records transactions in, so a state threshold row for it touches no one else. */
const YEAR = 2029;
/** insertCharges puts charges on the 15th of each month: all of them are past; 353.5 of 365 days are. */
const NOW = new Date(`${YEAR}-12-20T12:00:00Z`);
const ACTIVITY_FACTORS = ['tax.threshold_crossed', 'volume.observed_over_expected', 'velocity.spike'];

describe('transaction activity in risk assessments (the tax ledger as risk factors)', () => {
  const clock = new FixedClock(NOW);
  let app: NestFastifyApplication;
  let db: Client;
  let officer: TestCaller;
  let service: TestCaller;

  beforeAll(async () => {
    app = await startOverridableApp({ overrides: [{ provide: Clock, useValue: clock }] });
    db = await superuserClient();
    officer = await callerOf(['compliance_officer']);
    service = await callerOf(['service'], { tenantId: officer.tenantId });
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  const record = async (body: Record<string, unknown>, caller = service): Promise<void> => {
    const response = await recordTransaction(app, caller, body);
    if (response.statusCode !== 201) throw new Error(`record transaction: ${response.statusCode} ${response.body}`);
  };
  const activityFactors = async (venueId: string): Promise<RiskFactorItem[]> => (await assess(app, officer, venueId)).factors.filter((factor) => ACTIVITY_FACTORS.includes(factor.key));
  const requiresForm = async (venueId: string): Promise<boolean> =>
    (await app.inject({ method: 'GET', url: `/api/v1/tax/venues/${venueId}/summary?year=${YEAR}`, headers: officer.headers })).json<{ requiresForm: boolean }>().requiresForm;

  it('counts the federal 1099-K threshold only when the year exceeds both $20,000 and 200 transactions, as the tax summary does', async () => {
    // Declaring $40,000 a year keeps these venues clear of the volume factor.
    for (const venueId of ['hall-over', 'hall-under-amount', 'hall-under-count']) await verifiedVenue(app, officer, venueId, { expectedAnnualVolumeCents: 4_000_000 });
    await insertCharges(db, officer.tenantId, 'hall-over', YEAR, 200, 1_999_999);
    await record(charge('over-201', 'hall-over', 2, `${YEAR}-03-15T18:00:00Z`));
    await insertCharges(db, officer.tenantId, 'hall-under-amount', YEAR, 200, 1_999_999);
    await record(charge('under-amount-201', 'hall-under-amount', 1, `${YEAR}-03-15T18:00:00Z`));
    await insertCharges(db, officer.tenantId, 'hall-under-count', YEAR, 199, 4_999_000);
    await record(charge('under-count-200', 'hall-under-count', 1_000, `${YEAR}-03-15T18:00:00Z`));

    const crossed = {
      key: 'tax.threshold_crossed',
      description: expect.stringContaining('1099-K'),
      points: 5,
      evidence: { year: YEAR, jurisdiction: 'US', grossCents: 2_000_001, transactionCount: 201, grossThresholdCents: 2_000_000, transactionThreshold: 200 },
    };
    const over = await assess(app, officer, 'hall-over');
    expect(over.factors.filter((factor) => ACTIVITY_FACTORS.includes(factor.key))).toEqual([crossed]);
    expect(over).toMatchObject({ score: 15, level: 'approve' });
    expect(await activityFactors('hall-under-amount')).toEqual([]);
    expect(await activityFactors('hall-under-count')).toEqual([]);
    expect([await requiresForm('hall-over'), await requiresForm('hall-under-amount'), await requiresForm('hall-under-count')]).toEqual([true, false, false]);
    const event = await db.query("SELECT payload FROM domain_events WHERE tenant_id = $1 AND type = 'tax.threshold_crossed' AND dedup_key = $2", [officer.tenantId, `${YEAR}/US/hall-over`]);
    expect(event.rows).toEqual([{ payload: expect.objectContaining({ grossMinor: 2_000_001, transactions: 201, crossedBy: 'over-201' }) }]);

    // Form 1099-K's gross ignores refunds (26 CFR 1.6050W-1(a)(6)): refunding the crossing charge undoes nothing.
    await record(refund('over-201-refund', 'over-201', 'hall-over', 2, `${YEAR}-12-01T12:00:00Z`));
    expect(await activityFactors('hall-over')).toEqual([crossed]);
  });

  it('counts a state threshold where the year has a row for one, beside the federal', async () => {
    await db.query("INSERT INTO tax_thresholds (jurisdiction, tax_year, gross_minor, transactions, source) VALUES ('US-MA', $1, 59999, NULL, 'test: a state reporting from $600')", [YEAR]);
    try {
      expect(await activityFactors('hall-under-count')).toEqual([
        {
          key: 'tax.threshold_crossed',
          description: expect.any(String),
          points: 5,
          evidence: { year: YEAR, jurisdiction: 'US-MA', grossCents: 5_000_000, transactionCount: 200, grossThresholdCents: 59_999, transactionThreshold: null },
        },
      ]);
      expect((await activityFactors('hall-over')).map((factor) => factor.evidence.jurisdiction)).toEqual(['US', 'US-MA']);
    } finally {
      await db.query("DELETE FROM tax_thresholds WHERE jurisdiction = 'US-MA' AND tax_year = $1", [YEAR]);
    }
  });

  it('counts net sales this year, annualised, from twice the declared volume, and refunds reduce them', async () => {
    await verifiedVenue(app, officer, 'hall-busy', { expectedAnnualVolumeCents: 1_000_000 });
    await verifiedVenue(app, officer, 'hall-steady', { expectedAnnualVolumeCents: 1_000_000 });
    await insertCharges(db, officer.tenantId, 'hall-busy', YEAR, 24, 3_000_000);
    await insertCharges(db, officer.tenantId, 'hall-steady', YEAR, 12, 1_900_000);

    const busy = await assess(app, officer, 'hall-busy');
    expect(busy.factors.filter((factor) => ACTIVITY_FACTORS.includes(factor.key))).toEqual([
      {
        key: 'volume.observed_over_expected',
        description: expect.stringContaining('expected annual volume'),
        points: 15,
        evidence: { year: YEAR, grossCents: 3_000_000, reversedCents: 0, netCents: 3_000_000, annualisedNetCents: 3_097_595, expectedAnnualVolumeCents: 1_000_000, ratioPercent: 309, thresholdPercent: 200 },
      },
    ]);
    expect(busy).toMatchObject({ score: 25, level: 'approve' });
    // $19,000 by 20 December is $19,618 a year: 196 % of the $10,000 declared.
    expect(await activityFactors('hall-steady')).toEqual([]);

    await record(refund('busy-refund', 'hall-busy-bulk-0', 'hall-busy', 125_000, `${YEAR}-12-01T12:00:00Z`));
    expect((await activityFactors('hall-busy'))[0]?.evidence).toMatchObject({ grossCents: 3_000_000, reversedCents: 125_000, netCents: 2_875_000, annualisedNetCents: 2_968_529, ratioPercent: 296 });
  });

  it('sees a spike when the last 30 days sell three times the average 30 days of the 90 before, until refunds take it back', async () => {
    await verifiedVenue(app, officer, 'hall-spike');
    for (const month of ['09', '10', '11']) await record(charge(`spike-${month}`, 'hall-spike', 100_000, `${YEAR}-${month}-01T20:00:00Z`));
    await record(charge('spike-12', 'hall-spike', 600_000, `${YEAR}-12-01T20:00:00Z`));

    const spiked = await assess(app, officer, 'hall-spike');
    expect(spiked.factors.filter((factor) => ACTIVITY_FACTORS.includes(factor.key))).toEqual([
      {
        key: 'velocity.spike',
        description: expect.stringContaining('last 30 days'),
        points: 15,
        evidence: { windowDays: 30, windowNetCents: 600_000, baselineDays: 90, baselineNetCents: 300_000, baselinePerWindowCents: 100_000, ratioPercent: 600, thresholdPercent: 300, minimumCents: 500_000 },
      },
    ]);
    expect(spiked).toMatchObject({ score: 25, level: 'approve' });

    await record(refund('spike-12-refund', 'spike-12', 'hall-spike', 200_000, `${YEAR}-12-05T10:00:00Z`));
    expect(await activityFactors('hall-spike')).toEqual([]);
  });

  it('takes no first sale for a spike, counts only the tenant\'s own ledger, and sees a new venue\'s first $5,000 as one', async () => {
    await verifiedVenue(app, officer, 'hall-new');
    await record(charge('new-first', 'hall-new', 20_000, `${YEAR}-12-10T20:00:00Z`));
    expect(await activityFactors('hall-new')).toEqual([]);

    const otherTenant = await callerOf(['service']);
    await record(charge('other-tenant-sale', 'hall-new', 5_000_000, `${YEAR}-12-11T20:00:00Z`), otherTenant);
    expect(await activityFactors('hall-new')).toEqual([]);

    await record(charge('new-second', 'hall-new', 600_000, `${YEAR}-12-12T20:00:00Z`));
    expect(await activityFactors('hall-new')).toEqual([
      expect.objectContaining({ key: 'velocity.spike', evidence: expect.objectContaining({ windowNetCents: 620_000, baselineNetCents: 0, ratioPercent: null }) }),
    ]);
  });

  it('lists the activity factors in the catalogue with their thresholds', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/risk/weights', headers: officer.headers });
    const items = response.json<{ items: Array<{ key: string; points: number; threshold: number | null }> }>().items;
    expect(items.filter((item) => ACTIVITY_FACTORS.includes(item.key)).map(({ key, points, threshold }) => ({ key, points, threshold }))).toEqual([
      { key: 'tax.threshold_crossed', points: 5, threshold: null },
      { key: 'velocity.spike', points: 15, threshold: 300 },
      { key: 'volume.observed_over_expected', points: 15, threshold: 200 },
    ]);
  });
});
