import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoadMonitor } from '../../src/guards/load-shedding/load-monitor';
import { FixedLoadMonitor } from '../fixtures/fixed-load-monitor';
import { startOverridableApp } from '../helpers/overridable-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, upload } from '../helpers/venue-flow';
import { pdfBytes } from '../fixtures/document-bytes';

describe('payout eligibility', () => {
  const monitor = new FixedLoadMonitor();
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let payments: TestCaller;

  beforeAll(async () => {
    app = await startOverridableApp({ env: { LOAD_SHEDDING: 'true' }, overrides: [{ provide: LoadMonitor, useValue: monitor }] });
    officer = await callerOf(['compliance_officer']);
    payments = await callerOf(['service'], { tenantId: officer.tenantId, userId: 'payments-service' });
  });

  afterAll(async () => {
    await app.close();
  });

  const eligibility = (venueId: string, caller = payments) => app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility`, headers: caller.headers });

  it('answers an unknown venue and another tenant\'s venue the same: not eligible, a verification is due', async () => {
    await startVerification(app, officer, 'venue-theirs');
    const stranger = await callerOf(['service']);
    for (const response of [await eligibility('venue-nobody'), await eligibility('venue-theirs', stranger)]) {
      expect(response.json()).toEqual({ eligible: false, disabled_reason: 'requirements.past_due', requirements_due: ['verification'] });
    }
  });

  it('is never stale: each committed change is the next answer', async () => {
    const verification = await startVerification(app, officer, 'venue-fresh');
    const ownerId = verification.beneficialOwners[0]?.id as string;
    expect((await eligibility('venue-fresh')).json().requirements_due).toEqual(['documents.w9', `owners.${ownerId}.id_document`]);
    const w9 = await upload(app, officer, 'venue-fresh', { kind: 'W9' }, pdfBytes('fresh'));
    expect((await eligibility('venue-fresh')).json()).toEqual({ eligible: false, disabled_reason: 'requirements.past_due', requirements_due: [`owners.${ownerId}.id_document`, 'documents.w9'] });
    const id = await upload(app, officer, 'venue-fresh', { kind: 'ID', ownerId }, pdfBytes('fresh-id'));
    await acceptDocument(app, officer, w9.json().id);
    await acceptDocument(app, officer, id.json().id);
    expect((await eligibility('venue-fresh')).json()).toEqual({ eligible: false, disabled_reason: 'under_review', requirements_due: [] });
    await decide(app, officer, verification.id, 'approve');
    expect((await eligibility('venue-fresh')).json()).toEqual({ eligible: true, disabled_reason: null, requirements_due: [] });
  });

  it('is answered however loaded the instance is, while other routes are shed', async () => {
    monitor.reading = { loopBusyMs: 10_000, inFlight: 10_000, heapPercent: 99, rssPercent: 99 };
    try {
      const answer = await eligibility('venue-fresh');
      expect(answer.body).toContain('eligible');
      expect((await app.inject({ method: 'GET', url: '/api/v1/review-queue', headers: officer.headers })).statusCode).toBe(503);
    } finally {
      monitor.reading = { loopBusyMs: 0, inFlight: 0, heapPercent: 10, rssPercent: 10 };
    }
  });

  it('is for the payments service and managers: officers and venue owners get 403', async () => {
    const owner = await callerOf(['venue_owner'], { tenantId: officer.tenantId, venueIds: ['venue-fresh'] });
    expect((await eligibility('venue-fresh', officer)).statusCode).toBe(403);
    expect((await eligibility('venue-fresh', owner)).statusCode).toBe(403);
  });
});
