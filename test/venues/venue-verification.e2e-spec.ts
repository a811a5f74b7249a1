import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pdfBytes, pngBytes } from '../fixtures/document-bytes';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, submission, upload } from '../helpers/venue-flow';

describe('venue verification over HTTP', () => {
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let secondOfficer: TestCaller;
  let payments: TestCaller;

  beforeAll(async () => {
    app = await startTestApp();
    officer = await callerOf(['compliance_officer']);
    secondOfficer = await callerOf(['compliance_officer'], { tenantId: officer.tenantId });
    payments = await callerOf(['service'], { tenantId: officer.tenantId, userId: 'payments-service' });
  });

  afterAll(async () => {
    await app.close();
  });

  async function eligibility(venueId: string) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility`, headers: payments.headers });
    expect(response.statusCode).toBe(200);
    return response.json<{ eligible: boolean; disabled_reason: string | null; requirements_due: string[] }>();
  }

  it('takes a four-eyes venue from submission to payout eligibility', async () => {
    const owner = await callerOf(['venue_owner'], { tenantId: officer.tenantId, venueIds: ['venue-4eyes'] });
    const verification = await startVerification(app, owner, 'venue-4eyes', { expectedAnnualVolumeCents: 50_000_000 });
    expect(verification.state).toBe('pending');
    expect(await eligibility('venue-4eyes')).toEqual({ eligible: false, disabled_reason: 'requirements.past_due', requirements_due: ['documents.w9', `owners.${verification.beneficialOwners[0]?.id}.id_document`] });

    const w9 = await upload(app, owner, 'venue-4eyes', { kind: 'W9' });
    expect(w9.statusCode).toBe(201);
    const id = await upload(app, owner, 'venue-4eyes', { kind: 'ID', ownerId: verification.beneficialOwners[0]?.id as string }, pngBytes(), 'passport.png', 'image/png');
    expect(id.statusCode).toBe(201);
    expect((await eligibility('venue-4eyes')).disabled_reason).toBe('requirements.pending_verification');

    const early = await decide(app, officer, verification.id, 'approve');
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('VERIFICATION.REQUIREMENTS_OUTSTANDING');

    await acceptDocument(app, officer, w9.json().id);
    await acceptDocument(app, officer, id.json().id);

    const first = await decide(app, officer, verification.id, 'approve');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ state: 'in_review', fourEyes: { required: true, awaitingSecondApproval: true } });
    expect((await eligibility('venue-4eyes')).eligible).toBe(false);

    const again = await decide(app, officer, verification.id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('VERIFICATION.FOUR_EYES_SAME_OFFICER');

    const second = await decide(app, secondOfficer, verification.id, 'approve');
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ state: 'verified', fourEyes: { awaitingSecondApproval: false } });
    expect(await eligibility('venue-4eyes')).toEqual({ eligible: true, disabled_reason: null, requirements_due: [] });
  });

  it('sends a verification back for changes, takes the resubmission, and rejects', async () => {
    const verification = await startVerification(app, officer, 'venue-changes');
    const changes = await decide(app, officer, verification.id, 'request_changes', 'The address does not match the W-9');
    expect(changes.json()).toMatchObject({ state: 'action_required' });
    expect(changes.json().requirements.errors).toContainEqual({ code: 'verification_changes_requested', requirement: 'business.resubmission', reason: 'The address does not match the W-9' });

    const resubmitted = await app.inject({ method: 'PUT', url: `/api/v1/verifications/${verification.id}`, headers: officer.headers, payload: submission({ legalName: 'Blue Note Hall II LLC' }) });
    expect(resubmitted.statusCode).toBe(200);
    expect(resubmitted.json()).toMatchObject({ state: 'pending', legalName: 'Blue Note Hall II LLC' });

    const rejected = await decide(app, officer, verification.id, 'reject', 'Venue closed');
    expect(rejected.json()).toMatchObject({ state: 'rejected' });
    expect((await eligibility('venue-changes')).disabled_reason).toBe('rejected.other');

    const illegal = await decide(app, officer, verification.id, 'approve');
    expect(illegal.statusCode).toBe(409);
  });

  it('approves with one officer below the four-eyes volume, and lists the queue oldest first', async () => {
    const verification = await startVerification(app, officer, 'venue-small');
    const w9 = await upload(app, officer, 'venue-small', { kind: 'W9' }, pdfBytes('small'));
    const idDoc = await upload(app, officer, 'venue-small', { kind: 'ID', ownerId: verification.beneficialOwners[0]?.id as string }, pdfBytes('id'));
    const queue = await app.inject({ method: 'GET', url: '/api/v1/review-queue', headers: officer.headers });
    expect(queue.statusCode).toBe(200);
    const ids = queue.json().items.map((item: { id: string }) => item.id);
    expect(ids).toContain(verification.id);
    await acceptDocument(app, officer, w9.json().id);
    await acceptDocument(app, officer, idDoc.json().id);
    const approved = await decide(app, officer, verification.id, 'approve');
    expect(approved.json()).toMatchObject({ state: 'verified', fourEyes: { required: false } });
    expect(approved.json().expiresAt).not.toBeNull();
  });
});
