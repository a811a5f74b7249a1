import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { pdfBytes } from '../fixtures/document-bytes';
import { verifiedVenue } from '../helpers/risk-flow';
import { snapshotTenant, superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, upload } from '../helpers/venue-flow';
import { deliverStripe, nowUnixSeconds, stripeEvent } from './stripe-deliveries';

interface Checklist {
  currently_due: string[];
  past_due: string[];
  errors: Array<{ code: string; requirement: string; reason: string }>;
  disabled_reason: string | null;
}

/** Stripe's `requirements` hash of a connected account, as `account.updated` carries it. */
const RESTRICTED = { currently_due: ['external_account'], past_due: ['external_account'], disabled_reason: 'requirements.past_due' };
const CLEAR = { currently_due: [], past_due: [], disabled_reason: null };

describe('Stripe account.updated as a signal on the venue\'s verification', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let officer: TestCaller;
  let payments: TestCaller;
  let tenantId: string;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
    officer = await callerOf(['compliance_officer']);
    tenantId = officer.tenantId;
    payments = await callerOf(['service'], { tenantId, userId: 'payments-service' });
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  /** An account.updated of the venue's connected account, created `secondsAgo` before now. */
  const accountUpdated = (venueId: string, secondsAgo: number, requirements: Record<string, unknown>, payoutsEnabled: boolean, accountTenant = tenantId): string =>
    stripeEvent(
      'account.updated',
      { id: `acct_${venueId}`, object: 'account', charges_enabled: true, payouts_enabled: payoutsEnabled, details_submitted: true, requirements, metadata: { tenant_id: accountTenant, venue_id: venueId } },
      { created: nowUnixSeconds() - secondsAgo },
    );
  const deliver = async (payload: string): Promise<string> => {
    const response = await deliverStripe(app, payload);
    expect(response.statusCode).toBe(200);
    return response.json<{ outcome: string }>().outcome;
  };
  const eligibility = async (venueId: string): Promise<unknown> =>
    (await app.inject({ method: 'GET', url: `/api/v1/venues/${venueId}/payout-eligibility`, headers: payments.headers })).json();
  const checklist = async (verificationId: string): Promise<Checklist & { state: string }> => {
    const view = (await app.inject({ method: 'GET', url: `/api/v1/verifications/${verificationId}`, headers: officer.headers })).json<{ state: string; requirements: Checklist }>();
    return { state: view.state, ...view.requirements };
  };
  const events = async (venueId: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>> =>
    (await db.query('SELECT type, payload FROM domain_events WHERE tenant_id = $1 AND resource_key = $2 ORDER BY id', [tenantId, `venue:${venueId}`])).rows;
  const signals = async (venueId: string): Promise<Array<{ actor: string; after_state: Record<string, unknown> }>> =>
    (await db.query("SELECT actor, after_state FROM audit_log WHERE tenant_id = $1 AND action = 'venue.kyc_signal_received' AND entity_id = $2 ORDER BY seq", [tenantId, venueId])).rows;

  it('shows a restricted account in the checklist and stops payouts with the reason; lifting it makes the venue eligible again', async () => {
    const verificationId = await verifiedVenue(app, officer, 'hall-restricted');
    expect(await eligibility('hall-restricted')).toEqual({ eligible: true, disabled_reason: null, requirements_due: [] });
    const eventsBefore = (await events('hall-restricted')).length;

    expect(await deliver(accountUpdated('hall-restricted', 120, RESTRICTED, false))).toBe('applied');
    expect(await eligibility('hall-restricted')).toEqual({ eligible: false, disabled_reason: 'processor.restricted', requirements_due: ['processor.stripe'] });
    expect(await checklist(verificationId)).toEqual(expect.objectContaining({
      state: 'verified',
      currently_due: ['processor.stripe'],
      past_due: ['processor.stripe'],
      disabled_reason: 'processor.restricted',
      errors: [{
        code: 'processor_account_restricted',
        requirement: 'processor.stripe',
        reason: 'Stripe restricted the connected account acct_hall-restricted: requirements.past_due; past due: external_account; payouts disabled',
      }],
    }));
    const restrictedEvents = (await events('hall-restricted')).slice(eventsBefore);
    expect(restrictedEvents).toEqual([
      { type: 'venue.verification_updated', payload: expect.objectContaining({ verificationId, eligible: false, disabledReason: 'processor.restricted', requirementsDue: ['processor.stripe'] }) },
      { type: 'venue.payout_eligibility_changed', payload: expect.objectContaining({ verificationId, eligible: false, disabledReason: 'processor.restricted' }) },
    ]);

    expect(await deliver(accountUpdated('hall-restricted', 60, CLEAR, true))).toBe('applied');
    expect(await eligibility('hall-restricted')).toEqual({ eligible: true, disabled_reason: null, requirements_due: [] });
    expect(await checklist(verificationId)).toEqual(expect.objectContaining({ currently_due: [], past_due: [], errors: [], disabled_reason: null }));
    expect((await events('hall-restricted')).slice(eventsBefore + restrictedEvents.length)).toEqual([
      { type: 'venue.verification_updated', payload: expect.objectContaining({ eligible: true, disabledReason: null }) },
      { type: 'venue.payout_eligibility_changed', payload: expect.objectContaining({ eligible: true, disabledReason: null }) },
    ]);
    expect(await signals('hall-restricted')).toEqual([
      { actor: 'webhook:stripe', after_state: expect.objectContaining({ processor: 'stripe', accountId: 'acct_hall-restricted', payoutsEnabled: false, pastDue: ['external_account'], applied: true }) },
      { actor: 'webhook:stripe', after_state: expect.objectContaining({ payoutsEnabled: true, pastDue: [], applied: true, restriction: null }) },
    ]);
  });

  it('lets an older report delivered after a newer one change nothing, and applies a replay once', async () => {
    await verifiedVenue(app, officer, 'hall-out-of-order');
    const restricted = accountUpdated('hall-out-of-order', 60, RESTRICTED, false);
    expect(await deliver(restricted)).toBe('applied');
    expect(await deliver(restricted)).toBe('duplicate');
    const stored = async (): Promise<unknown[]> => (await db.query('SELECT event_id, reported_at, past_due FROM venue_processor_accounts WHERE tenant_id = $1 AND venue_id = $2', [tenantId, 'hall-out-of-order'])).rows;
    const newest = await stored();
    const eventsAfterNewest = await events('hall-out-of-order');

    // Lifted two minutes before the restriction, delivered after it: superseded.
    expect(await deliver(accountUpdated('hall-out-of-order', 180, CLEAR, true))).toBe('applied');
    expect(await eligibility('hall-out-of-order')).toEqual({ eligible: false, disabled_reason: 'processor.restricted', requirements_due: ['processor.stripe'] });
    expect(await stored()).toEqual(newest);
    expect(await events('hall-out-of-order')).toEqual(eventsAfterNewest);
    expect((await signals('hall-out-of-order')).map((entry) => entry.after_state.applied)).toEqual([true, false]);

    const before = await snapshotTenant(db, tenantId);
    expect(await deliver(restricted)).toBe('duplicate');
    expect(await snapshotTenant(db, tenantId)).toEqual(before);
  });

  it('announces nothing when a newer report restricts no differently', async () => {
    await verifiedVenue(app, officer, 'hall-unchanged');
    expect(await deliver(accountUpdated('hall-unchanged', 120, RESTRICTED, false))).toBe('applied');
    const eventsBefore = await events('hall-unchanged');
    expect(await deliver(accountUpdated('hall-unchanged', 60, { ...RESTRICTED, currently_due: ['external_account', 'business_profile.url'] }, false))).toBe('applied');
    expect(await events('hall-unchanged')).toEqual(eventsBefore);
    expect(await eligibility('hall-unchanged')).toEqual({ eligible: false, disabled_reason: 'processor.restricted', requirements_due: ['processor.stripe'] });
  });

  it('does not hold back an officer\'s approval: the restriction keeps payouts off until Stripe lifts it', async () => {
    const verification = await startVerification(app, officer, 'hall-onboarding');
    expect(await deliver(accountUpdated('hall-onboarding', 120, { currently_due: ['external_account'], past_due: [], disabled_reason: 'requirements.pending_verification' }, false))).toBe('applied');
    const ownerId = verification.beneficialOwners[0]?.id as string;
    await acceptDocument(app, officer, (await upload(app, officer, 'hall-onboarding', { kind: 'W9' }, pdfBytes('w9 onboarding'))).json<{ id: string }>().id);
    await acceptDocument(app, officer, (await upload(app, officer, 'hall-onboarding', { kind: 'ID', ownerId }, pdfBytes('id onboarding'))).json<{ id: string }>().id);
    expect(await eligibility('hall-onboarding')).toEqual({ eligible: false, disabled_reason: 'processor.restricted', requirements_due: ['processor.stripe'] });

    const approved = await decide(app, officer, verification.id, 'approve');
    expect(approved.json<{ state: string }>().state).toBe('verified');
    expect(await eligibility('hall-onboarding')).toEqual({ eligible: false, disabled_reason: 'processor.restricted', requirements_due: ['processor.stripe'] });
    expect(await deliver(accountUpdated('hall-onboarding', 60, CLEAR, true))).toBe('applied');
    expect(await eligibility('hall-onboarding')).toEqual({ eligible: true, disabled_reason: null, requirements_due: [] });
  });

  it('ignores, writing nothing, a report about a venue or a tenant it does not know', async () => {
    const before = await snapshotTenant(db, tenantId);
    const unknownTenant = randomUUID();
    const eventIds: string[] = [];
    for (const payload of [accountUpdated('hall-never-submitted', 60, RESTRICTED, false), accountUpdated('hall-restricted', 60, RESTRICTED, false, unknownTenant)]) {
      eventIds.push((JSON.parse(payload) as { id: string }).id);
      expect(await deliver(payload)).toBe('ignored');
    }
    expect(await snapshotTenant(db, tenantId)).toEqual(before);
    expect(Object.entries(await snapshotTenant(db, unknownTenant)).filter(([, table]) => table.rows > 0)).toEqual([]);
    expect((await db.query('SELECT 1 FROM webhook_events WHERE event_id = ANY($1)', [eventIds])).rows).toEqual([]);
  });
});
