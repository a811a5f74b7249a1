import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'light-my-request';
import type { Client } from 'pg';
import Stripe from 'stripe';
import { Clock } from '../../src/common/clock';
import { LoadMonitor } from '../../src/guards/load-shedding/load-monitor';
import { TaxTransactionsService } from '../../src/modules/tax/transactions/tax-transactions.service';
import { platformSignatureHeader } from '../../src/modules/webhooks/platform-signature';
import { CapturedLogs } from '../helpers/captured-logs';
import { startOverridableApp } from '../helpers/overridable-app';
import { expectProblem, invalidFields } from '../helpers/problem';
import { charge, recordTransaction } from '../helpers/tax-flow';
import { snapshotTenant, superuserClient } from '../helpers/tenant-tables';
import { TEST_SECRETS } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { FixedLoadMonitor } from '../fixtures/fixed-load-monitor';
import { deliverStripe, nowUnixSeconds as now, stripeEvent, uniqueId as unique } from './stripe-deliveries';

const logs = new CapturedLogs();

/** The real time, unless a test pins it: tolerance edges must not depend on how fast the machine answers. */
class SettableClock extends Clock {
  pinned: Date | undefined;

  override now(): Date {
    return this.pinned ?? new Date();
  }
}
function stripeCharge(tenantId: string, venueId: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: unique('ch'), object: 'charge', amount: 4_500, amount_refunded: 0, currency: 'usd', created: now() - 60, status: 'succeeded', metadata: { tenant_id: tenantId, venue_id: venueId }, ...fields };
}

function platformEvent(tenantId: string, type: string, data: Record<string, unknown>, id = unique('pev')): string {
  return JSON.stringify({ id, type, tenantId, data });
}

describe('signed webhooks in', () => {
  const monitor = new FixedLoadMonitor();
  const clock = new SettableClock();
  let app: NestFastifyApplication;
  let db: Client;
  let service: TestCaller;
  let tenantId: string;

  /** `null` sends no Stripe-Signature header at all. */
  const sendStripe = (payload: string, signature?: string | null): Promise<Response> => deliverStripe(app, payload, signature);
  const sendPlatform = (target: NestFastifyApplication, payload: string, signature = platformSignatureHeader(payload, TEST_SECRETS.WEBHOOK_SECRET, now())): Promise<Response> =>
    target.inject({ method: 'POST', url: '/webhooks/platform', headers: { 'content-type': 'application/json', 'x-signature': signature }, payload });
  const ledger = async (venueId: string): Promise<Array<{ external_id: string; kind: string; amount_minor: string; source: string; original_external_id: string | null }>> =>
    (await db.query('SELECT external_id, kind, amount_minor, source, original_external_id FROM tax_transactions WHERE tenant_id = $1 AND venue_id = $2 ORDER BY recorded_at, external_id', [tenantId, venueId])).rows;
  const inbox = async (eventId: string): Promise<Array<{ source: string; type: string; processed_at: Date | null }>> =>
    (await db.query('SELECT source, type, processed_at FROM webhook_events WHERE event_id = $1', [eventId])).rows;

  beforeAll(async () => {
    app = await startOverridableApp({ env: { LOAD_SHEDDING: 'true' }, overrides: [{ provide: LoadMonitor, useValue: monitor }, { provide: Clock, useValue: clock }], logs });
    db = await superuserClient();
    service = await callerOf(['service']);
    tenantId = service.tenantId;
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  beforeEach(() => logs.clear());

  describe('Stripe', () => {
    it('records a charge.succeeded signed with Stripe\'s own helper, without a token, and applies a replay once', async () => {
      const object = stripeCharge(tenantId, 'hall-stripe');
      const payload = stripeEvent('charge.succeeded', object);
      const eventId = (JSON.parse(payload) as { id: string }).id;
      const first = await sendStripe(payload);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toEqual({ received: true, outcome: 'applied' });
      const replay = await sendStripe(payload);
      expect(replay.json()).toEqual({ received: true, outcome: 'duplicate' });
      expect(await ledger('hall-stripe')).toEqual([{ external_id: object.id, kind: 'charge', amount_minor: '4500', source: 'stripe', original_external_id: null }]);
      expect(await inbox(eventId)).toEqual([{ source: 'stripe', type: 'charge.succeeded', processed_at: expect.any(Date) }]);
    });

    it('refuses a tampered body, a stale timestamp and a missing header with 400 problem+json, storing nothing', async () => {
      const before = await snapshotTenant(db, tenantId);
      const payload = stripeEvent('charge.succeeded', stripeCharge(tenantId, 'hall-stripe-refused'));
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET });
      const tampered = expectProblem(await sendStripe(payload.replace('4500', '4501'), signature), 400, 'WEBHOOK.INVALID_SIGNATURE');
      expect(tampered.detail).toContain('matches the body');
      // Re-serialised JSON is not the signed bytes: whitespace matters.
      expectProblem(await sendStripe(JSON.stringify(JSON.parse(payload)), signature), 400, 'WEBHOOK.INVALID_SIGNATURE');
      const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, timestamp: now() - 301 });
      expect(expectProblem(await sendStripe(payload, stale), 400, 'WEBHOOK.STALE_SIGNATURE').detail).toContain('300 s');
      expect(expectProblem(await sendStripe(payload, null), 400, 'WEBHOOK.INVALID_SIGNATURE').detail).toContain('missing');
      expectProblem(await sendStripe(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' })), 400, 'WEBHOOK.INVALID_SIGNATURE');
      expectProblem(await sendStripe('{"id": ', 't=1,v1=00'), 400, 'REQUEST.INVALID');
      expect(await snapshotTenant(db, tenantId)).toEqual(before);
      expect(logs.text).not.toContain(signature);
      expect(logs.text).not.toContain('hall-stripe-refused');
    });

    it('turns cumulative refunds into refunds of the difference, in any delivery order', async () => {
      const object = stripeCharge(tenantId, 'hall-refunded', { amount: 10_000 });
      // The refund of 5,000 in total arrives before the one of 3,000 and before the charge itself.
      expect((await sendStripe(stripeEvent('charge.refunded', { ...object, amount_refunded: 5_000 }))).json()).toEqual({ received: true, outcome: 'applied' });
      expect((await sendStripe(stripeEvent('charge.refunded', { ...object, amount_refunded: 3_000 }))).json()).toEqual({ received: true, outcome: 'applied' });
      expect((await sendStripe(stripeEvent('charge.succeeded', object))).json()).toEqual({ received: true, outcome: 'applied' });
      expect((await sendStripe(stripeEvent('charge.refunded', { ...object, amount_refunded: 10_000 }))).statusCode).toBe(200);
      expect(await ledger('hall-refunded')).toEqual([
        { external_id: object.id, kind: 'charge', amount_minor: '10000', source: 'stripe', original_external_id: null },
        { external_id: `${object.id as string}/refunded/5000`, kind: 'refund', amount_minor: '-5000', source: 'stripe', original_external_id: object.id },
        { external_id: `${object.id as string}/refunded/10000`, kind: 'refund', amount_minor: '-5000', source: 'stripe', original_external_id: object.id },
      ]);
    });

    it('records transfers, and acknowledges what it does not act on, writing nothing', async () => {
      const transfer = { id: unique('tr'), object: 'transfer', amount: 9_000, currency: 'usd', created: now(), metadata: { tenant_id: tenantId, venue_id: 'hall-transfer' } };
      expect((await sendStripe(stripeEvent('transfer.created', transfer))).json()).toEqual({ received: true, outcome: 'applied' });
      expect(await ledger('hall-transfer')).toEqual([expect.objectContaining({ kind: 'transfer', amount_minor: '9000' })]);

      const before = await snapshotTenant(db, tenantId);
      for (const payload of [
        stripeEvent('customer.created', { id: 'cus_1', email: 'someone@example.com' }),
        stripeEvent('charge.succeeded', stripeCharge(tenantId, 'hall-eur', { currency: 'eur' })),
        stripeEvent('charge.succeeded', { ...stripeCharge(tenantId, 'hall-x'), metadata: {} }),
        // A connected account of a venue this tenant has never submitted for verification.
        stripeEvent('account.updated', { id: unique('acct'), object: 'account', payouts_enabled: false, requirements: { past_due: ['external_account'] }, metadata: { tenant_id: tenantId, venue_id: 'hall-kyc' } }),
      ]) {
        expect((await sendStripe(payload)).json()).toEqual({ received: true, outcome: 'ignored' });
      }
      expect(await snapshotTenant(db, tenantId)).toEqual(before);
      expect(logs.lines.filter((line) => line.msg === 'Webhook event ignored').map((line) => line.type)).toEqual(['customer.created', 'charge.succeeded', 'charge.succeeded', 'account.updated']);
      expect(logs.text).not.toContain('someone@example.com');
    });

    it('rolls back and answers 5xx when applying fails, so the sender retries, and applies the retry', async () => {
      const payload = stripeEvent('charge.succeeded', stripeCharge(tenantId, 'hall-retry'));
      const eventId = (JSON.parse(payload) as { id: string }).id;
      const tax = app.get(TaxTransactionsService, { strict: false });
      const failing = jest.spyOn(tax, 'recordIn').mockRejectedValueOnce(new Error('connection reset'));
      try {
        expectProblem(await sendStripe(payload), 500, 'INTERNAL');
      } finally {
        failing.mockRestore();
      }
      expect(await inbox(eventId)).toEqual([]);
      expect((await sendStripe(payload)).json()).toEqual({ received: true, outcome: 'applied' });
      expect(await ledger('hall-retry')).toHaveLength(1);
    });

    it('is never shed, however loaded the instance', async () => {
      monitor.reading = { loopBusyMs: 10_000, inFlight: 10_000, heapPercent: 99, rssPercent: 99 };
      try {
        expect((await app.inject({ method: 'GET', url: '/api/v1/tax/reports/2026', headers: (await callerOf(['admin'], { tenantId })).headers })).statusCode).toBe(503);
        expect((await sendStripe(stripeEvent('charge.succeeded', stripeCharge(tenantId, 'hall-loaded')))).json()).toEqual({ received: true, outcome: 'applied' });
      } finally {
        monitor.reading = { loopBusyMs: 0, inFlight: 0, heapPercent: 10, rssPercent: 10 };
      }
    });
  });

  describe('platform', () => {
    const completed = (venueId: string, saleId = unique('sale'), amount = 3_000) => platformEvent(tenantId, 'ticket_sale.completed', { saleId, venueId, amount, currency: 'USD', occurredAt: '2026-06-01T20:00:00Z' });

    it('records a signed sale and its refund, and applies a replay once', async () => {
      const saleId = unique('sale');
      const sale = completed('hall-platform', saleId);
      expect((await sendPlatform(app, sale)).json()).toEqual({ received: true, outcome: 'applied' });
      expect((await sendPlatform(app, sale)).json()).toEqual({ received: true, outcome: 'duplicate' });
      const refundEvent = platformEvent(tenantId, 'ticket_sale.refunded', { refundId: `${saleId}-r1`, saleId, venueId: 'hall-platform', amount: 1_000, currency: 'USD', occurredAt: '2026-06-02T10:00:00Z' });
      expect((await sendPlatform(app, refundEvent)).json()).toEqual({ received: true, outcome: 'applied' });
      expect(await ledger('hall-platform')).toEqual([
        { external_id: saleId, kind: 'charge', amount_minor: '3000', source: 'platform', original_external_id: null },
        { external_id: `${saleId}-r1`, kind: 'refund', amount_minor: '-1000', source: 'platform', original_external_id: saleId },
      ]);
      // The API and the webhook name one sale alike: the same sale through the API is a repeat.
      expect((await recordTransaction(app, service, { ...charge(saleId, 'hall-platform', 3_000), occurredAt: '2026-06-01T20:00:00Z' })).statusCode).toBe(200);
    });

    it('refuses timestamps more than 300 s in the past or the future, other secrets and changed bodies', async () => {
      const before = await snapshotTenant(db, tenantId);
      const payload = completed('hall-platform-refused');
      const at = now();
      clock.pinned = new Date(at * 1000);
      try {
        expectProblem(await sendPlatform(app, payload, platformSignatureHeader(payload, TEST_SECRETS.WEBHOOK_SECRET, at - 301)), 400, 'WEBHOOK.STALE_SIGNATURE');
        const future = expectProblem(await sendPlatform(app, payload, platformSignatureHeader(payload, TEST_SECRETS.WEBHOOK_SECRET, at + 301)), 400, 'WEBHOOK.STALE_SIGNATURE');
        expect(future.detail).toContain('future');
        const stripePayload = stripeEvent('charge.succeeded', stripeCharge(tenantId, 'hall-stripe-stale'));
        expectProblem(await sendStripe(stripePayload, Stripe.webhooks.generateTestHeaderString({ payload: stripePayload, secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET, timestamp: at - 301 })), 400, 'WEBHOOK.STALE_SIGNATURE');
      } finally {
        clock.pinned = undefined;
      }
      expectProblem(await sendPlatform(app, payload, platformSignatureHeader(payload, 'previous-webhook-secret-0123456789abcdef', now())), 400, 'WEBHOOK.INVALID_SIGNATURE');
      expectProblem(await sendPlatform(app, payload.replace('3000', '30000'), platformSignatureHeader(payload, TEST_SECRETS.WEBHOOK_SECRET, now())), 400, 'WEBHOOK.INVALID_SIGNATURE');
      expectProblem(await sendPlatform(app, payload, 'sha256=abc'), 400, 'WEBHOOK.INVALID_SIGNATURE');
      expect(await snapshotTenant(db, tenantId)).toEqual(before);
    });

    it('refuses a signed but malformed body with 400 naming the fields, and ignores unknown types', async () => {
      const before = await snapshotTenant(db, tenantId);
      expect(invalidFields(await sendPlatform(app, JSON.stringify({ id: unique('pev'), type: 'ticket_sale.completed', tenantId: 'acme', data: {} })))).toEqual(['tenantId']);
      expect(invalidFields(await sendPlatform(app, JSON.stringify({ type: 'ticket_sale.completed', tenantId, data: {} })))).toEqual(['id']);
      const badData = expectProblem(await sendPlatform(app, platformEvent(tenantId, 'ticket_sale.completed', { saleId: 's', venueId: 'v', amount: 1.5, currency: 'EUR', occurredAt: 'today' })), 400, 'WEBHOOK.INVALID_PAYLOAD');
      expect(badData.detail).toContain('data.amount');
      const euro = expectProblem(await sendPlatform(app, platformEvent(tenantId, 'ticket_sale.completed', { saleId: 's', venueId: 'v', amount: 1, currency: 'EUR', occurredAt: '2026-01-01T00:00:00Z' })), 400, 'WEBHOOK.INVALID_PAYLOAD');
      expect(euro.detail).toContain('data.currency');
      expect((await sendPlatform(app, platformEvent(tenantId, 'ticket_sale.transferred', { anything: true }))).json()).toEqual({ received: true, outcome: 'ignored' });
      expect(await snapshotTenant(db, tenantId)).toEqual(before);
    });

    it('accepts the previous secret only while WEBHOOK_SECRET_PREVIOUS is configured', async () => {
      const previous = 'previous-webhook-secret-0123456789abcdef';
      const rotating = await startOverridableApp({ env: { WEBHOOK_SECRET: 'rotated-webhook-secret-0123456789abcdef0', WEBHOOK_SECRET_PREVIOUS: previous } });
      try {
        const oldSigned = completed('hall-rotation');
        expect((await sendPlatform(rotating, oldSigned, platformSignatureHeader(oldSigned, previous, now()))).json()).toEqual({ received: true, outcome: 'applied' });
        const newSigned = completed('hall-rotation');
        expect((await sendPlatform(rotating, newSigned, platformSignatureHeader(newSigned, 'rotated-webhook-secret-0123456789abcdef0', now()))).json()).toEqual({ received: true, outcome: 'applied' });
        expectProblem(await sendPlatform(rotating, completed('hall-rotation')), 400, 'WEBHOOK.INVALID_SIGNATURE');
      } finally {
        await rotating.close();
      }
    });
  });

  it('has its own rate limit, which neither spends nor is spent by API callers', async () => {
    const limited = await startOverridableApp({ env: { RATE_LIMIT_WEBHOOK_LIMIT: '2', RATE_LIMIT_DEFAULT_LIMIT: '2', REDIS_KEY_PREFIX: `${process.env.TEST_REDIS_PREFIX ?? ''}${unique('webhook-limit')}:` } });
    try {
      const answers: Response[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) answers.push(await sendPlatform(limited, platformEvent(tenantId, 'ticket_sale.unknown', {})));
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 429]);
      expect(answers[0]?.headers['ratelimit-policy']).toBe('"webhook";q=2;w=60');
      expectProblem(answers[2] as Response, 429, 'RATE_LIMIT.EXCEEDED');
      const api = await limited.inject({ method: 'GET', url: '/api/v1/tax/reports/2026', headers: (await callerOf(['admin'], { tenantId })).headers });
      expect(api.statusCode).toBe(200);
      expect(api.headers['ratelimit-policy']).toBe('"default";q=2;w=60');
    } finally {
      await limited.close();
    }
  });
});
