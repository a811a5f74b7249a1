import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock } from '../../src/common/clock';
import { FixedClock } from '../fixtures/fixed-clock';
import { allAuditEntries } from '../helpers/audit-api';
import { expectProblem } from '../helpers/problem';
import { startOverridableApp } from '../helpers/overridable-app';
import { assess, raiseFlag, verifiedVenue } from '../helpers/risk-flow';
import { callerOf, type TestCaller } from '../helpers/tokens';

const T0 = new Date('2026-06-01T12:00:00Z');
const DAY_MS = 86_400_000;

describe('officer overrides of a venue\'s risk level', () => {
  const clock = new FixedClock(T0);
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let manager: TestCaller;

  beforeAll(async () => {
    app = await startOverridableApp({ overrides: [{ provide: Clock, useValue: clock }] });
    officer = await callerOf(['compliance_officer']);
    manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
    await verifiedVenue(app, officer, 'venue-override');
  }, 60_000);

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => clock.set(T0));

  const override = (payload: Record<string, unknown>, caller = manager) => app.inject({ method: 'POST', url: '/api/v1/venues/venue-override/risk/override', headers: caller.headers, payload });
  const risk = async () => (await app.inject({ method: 'GET', url: '/api/v1/venues/venue-override/risk', headers: officer.headers })).json();

  it('puts the override in force until it expires, then falls back to the assessment, flagged overrideExpired', async () => {
    await raiseFlag(app, officer, 'venue-override', 'critical');
    await raiseFlag(app, officer, 'venue-override', 'high');
    const assessment = await assess(app, officer, 'venue-override');
    expect(assessment.level).toBe('block');

    const expiresAt = new Date(T0.getTime() + 7 * DAY_MS).toISOString();
    const created = await override({ level: 'manual_review', reason: 'Flags under investigation; payouts reviewed by hand', expiresAt });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      effective: { level: 'manual_review', source: 'override', overrideExpired: false },
      latest: { id: assessment.id, level: 'block' },
      override: { level: 'manual_review', expiresAt, expired: false, createdBy: manager.userId, createdAt: T0.toISOString() },
    });

    // A later assessment does not displace an override in force.
    clock.set(new Date(T0.getTime() + DAY_MS));
    await assess(app, officer, 'venue-override');
    expect(await risk()).toMatchObject({ effective: { level: 'manual_review', source: 'override', overrideExpired: false } });

    clock.set(new Date(T0.getTime() + 7 * DAY_MS));
    expect(await risk()).toMatchObject({ effective: { level: 'block', source: 'assessment', overrideExpired: true }, override: { level: 'manual_review', expired: true } });
  });

  it('refuses an expiry that is not in the future by the service\'s clock, writing nothing', async () => {
    const before = (await allAuditEntries(app, manager, { action: 'risk.overridden' })).length;
    expectProblem(await override({ level: 'approve', reason: 'too late', expiresAt: T0.toISOString() }), 422, 'RISK.OVERRIDE_EXPIRY_PAST');
    expect(await allAuditEntries(app, manager, { action: 'risk.overridden' })).toHaveLength(before);
  });

  it('is for managers and admins: officers get 403', async () => {
    expectProblem(await override({ level: 'approve', reason: 'I say so', expiresAt: '2026-07-01T00:00:00Z' }, officer), 403, 'AUTH.FORBIDDEN');
  });

  it('records each override in the audit log with the level it overrode', async () => {
    const entries = await allAuditEntries(app, manager, { action: 'risk.overridden' });
    expect(entries[0]).toMatchObject({ actor: manager.userId, resourceType: 'risk_override', after: { venueId: 'venue-override', level: 'manual_review', assessedLevel: 'block' } });
  });
});
