import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification, submission } from '../helpers/venue-flow';

interface Screening { id: string; subjectKey: string; result: string; matches: Array<{ sdnId: string }>; suppressed: Array<{ sdnId: string }> }

describe('sanctions screening of venue verifications', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let payments: TestCaller;

  beforeAll(async () => {
    database = await sanctionsDatabase('screening_verification');
    officer = await callerOf(['compliance_officer']);
    payments = await callerOf(['service'], { tenantId: officer.tenantId, userId: 'payments-service' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database.drop();
  });

  const verification = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/verifications/${id}`, headers: officer.headers })).json();
  const eligibility = async (venueId: string) => (await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility`, headers: payments.headers })).json();
  const screeningsOf = async (verificationId: string) =>
    (await app.inject({ method: 'GET', url: `/api/v1/screenings?verificationId=${verificationId}`, headers: officer.headers })).json<{ items: Screening[] }>().items;
  const dispose = (screeningId: string, sdnId: string, decision: string) =>
    app.inject({ method: 'POST', url: `/api/v1/screenings/${screeningId}/matches/${sdnId}/disposition`, headers: officer.headers, payload: { decision, reason: 'Compared passport and date of birth with the listing' } });

  it('leaves sanctions_status not_run while no list is loaded', async () => {
    app = await startTestApp({ DATABASE_URL: database.url });
    const started = await startVerification(app, officer, 'venue-before-lists');
    expect((await verification(started.id)).sanctionsStatus).toBe('not_run');
    expect(await screeningsOf(started.id)).toEqual([]);
    await app.close();
    expect((await importWithCli(database.url, ['--dir', OFAC_FIXTURE])).code).toBe(0);
    app = await startTestApp({ DATABASE_URL: database.url });
  }, 30_000);

  it('screens the business and each owner on submission: clean parties are clear', async () => {
    const started = await startVerification(app, officer, 'venue-clean');
    expect((await verification(started.id)).sanctionsStatus).toBe('clear');
    const screenings = await screeningsOf(started.id);
    expect(screenings.map((screening) => screening.subjectKey).sort()).toEqual(['venue:venue-clean:business:BLUE NOTE HALL', 'venue:venue-clean:owner:ADA LOVELACE']);
    expect(screenings.every((screening) => screening.result === 'CLEAR')).toBe(true);
  });

  it('blocks payouts as listed when an owner matches the list', async () => {
    const started = await startVerification(app, officer, 'venue-listed', {
      beneficialOwners: [{ fullName: 'Ada Lovelace', dateOfBirth: '1980-12-10', ownershipPercent: 50 }, { fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }],
    });
    const view = await verification(started.id);
    expect(view.sanctionsStatus).toBe('match');
    expect(view.requirements.errors).toContainEqual(expect.objectContaining({ code: 'sanctions_match', requirement: 'sanctions.screening' }));
    expect(await eligibility('venue-listed')).toMatchObject({ eligible: false, disabled_reason: 'listed' });
    const owner = (await screeningsOf(started.id)).find((screening) => screening.subjectKey.endsWith('AYMAN AL ZAWAHIRI'));
    expect(owner).toMatchObject({ result: 'MATCH', matches: [expect.objectContaining({ sdnId: '2676' })] });
  });

  it('holds a potential match for an officer, clears it on a false positive, and remembers it on resubmission', async () => {
    const owners = [{ fullName: 'snowsjohn', dateOfBirth: '1975-03-01', ownershipPercent: 40 }];
    const started = await startVerification(app, officer, 'venue-potential', { beneficialOwners: owners });
    const pending = await verification(started.id);
    expect(pending.sanctionsStatus).toBe('potential_match');
    expect(pending.requirements.pending_verification).toContain('sanctions.screening');
    const screening = (await screeningsOf(started.id)).find((candidate) => candidate.result === 'POTENTIAL_MATCH') as Screening;

    const decided = await dispose(screening.id, '28263', 'false_positive');
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ verificationSanctionsStatus: 'clear' });
    const cleared = await verification(started.id);
    expect(cleared.sanctionsStatus).toBe('clear');
    expect(cleared.requirements.pending_verification).not.toContain('sanctions.screening');

    await app.inject({ method: 'POST', url: `/api/v1/verifications/${started.id}/decisions`, headers: officer.headers, payload: { decision: 'request_changes', reason: 'Upload the W-9' } });
    const resubmitted = await app.inject({ method: 'PUT', url: `/api/v1/verifications/${started.id}`, headers: officer.headers, payload: submission({ beneficialOwners: owners }) });
    expect(resubmitted.statusCode).toBe(200);
    expect(resubmitted.json().sanctionsStatus).toBe('clear');
    const rescreened = (await screeningsOf(started.id)).find((candidate) => candidate.subjectKey.endsWith('SNOWSJOHN')) as Screening;
    expect(rescreened).toMatchObject({ result: 'CLEAR', suppressed: [expect.objectContaining({ sdnId: '28263' })] });
    expect(rescreened.id).not.toBe(screening.id);
  });

  it('turns a confirmed potential match into a match that blocks payouts', async () => {
    const started = await startVerification(app, officer, 'venue-confirmed', { beneficialOwners: [{ fullName: 'snowsjohn', dateOfBirth: '1975-03-01', ownershipPercent: 40 }] });
    const screening = (await screeningsOf(started.id)).find((candidate) => candidate.result === 'POTENTIAL_MATCH') as Screening;
    expect((await dispose(screening.id, '28263', 'confirmed_match')).json()).toMatchObject({ verificationSanctionsStatus: 'match' });
    expect(await eligibility('venue-confirmed')).toMatchObject({ eligible: false, disabled_reason: 'listed' });
  });
});
