import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { platformSignatureHeader } from '../../src/modules/webhooks/platform-signature';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { eventually } from '../helpers/eventually';
import { ADMIN_TOKEN } from '../helpers/guarded-app';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { decide, startVerification } from '../helpers/venue-flow';

const SECRET = 'subscriber-secret-0123456789abcdef0123456789';
const admin = { 'x-internal-token': ADMIN_TOKEN };

interface Received {
  id: string;
  type: string;
  resource: string;
  status: number;
  signatureValid: boolean;
}

/** A subscriber on localhost that answers 500 to its first `failFirst` deliveries, then 200. */
class LocalSubscriber {
  readonly received: Received[] = [];
  private server: Server | undefined;

  constructor(private failFirst: number) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const event = JSON.parse(body.toString()) as { id: string; type: string; resource: string };
        const header = String(request.headers['x-signature']);
        const timestamp = Number(/t=(\d+)/.exec(header)?.[1]);
        const status = this.failFirst > 0 ? 500 : 200;
        this.failFirst -= 1;
        this.received.push({ id: event.id, type: event.type, resource: event.resource, status, signatureValid: header === platformSignatureHeader(body, SECRET, timestamp) });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/events`;
  }

  succeedFromNow(): void {
    this.failFirst = 0;
  }

  accepted(): Received[] {
    return this.received.filter((delivery) => delivery.status === 200);
  }

  async stop(): Promise<void> {
    await new Promise((done) => this.server?.close(done));
  }
}

/** `read`'s value once `done` holds for it (undefined until then), for the shared `eventually`. */
const when = <T>(read: () => Promise<T>, done: (value: T) => boolean) => async (): Promise<T | undefined> => {
  const value = await read();
  return done(value) ? value : undefined;
};

describe('events out: subscriptions, signed deliveries with retries, order per resource, dead letters and replay', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Its own database: the delivery workers of other suites' apps must not take these jobs.
    database = await migratedScratchDatabase('events');
    app = await startTestApp({
      DATABASE_URL: database.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      JOBS_POLL_INTERVAL_SECONDS: '0.5',
      EVENT_DELIVERY_RETRY_BASE_MS: '100',
      EVENT_DELIVERY_RETRY_MAX_MS: '400',
      EVENT_DELIVERY_TIMEOUT_MS: '2000',
      EVENT_DELIVERY_MAX_AGE_SECONDS: '6',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const subscribe = (url: string, tenantId: string, eventTypes = ['venue.verification_updated', 'venue.payout_eligibility_changed']) =>
    app.inject({ method: 'POST', url: '/admin/event-subscriptions', headers: admin, payload: { url, eventTypes, tenantId, secret: SECRET } });

  const deliveries = async (subscriptionId: string) =>
    (await app.inject({ method: 'GET', url: `/admin/event-subscriptions/${subscriptionId}/deliveries`, headers: admin })).json<Array<{ id: string; eventId: string; status: string; attempts: unknown[] }>>();

  it('delivers every event exactly once after a subscriber failed its first 3 deliveries, signed, in order per venue', async () => {
    const subscriber = new LocalSubscriber(3);
    const officer: TestCaller = await callerOf(['compliance_officer']);
    try {
      const created = await subscribe(await subscriber.start(), officer.tenantId);
      expect(created.statusCode).toBe(201);
      expect(created.body).not.toContain(SECRET);
      const subscriptionId = created.json<{ id: string }>().id;

      const first = await startVerification(app, officer, 'venue-events-a');
      await startVerification(app, officer, 'venue-events-b');
      expect((await decide(app, officer, first.id, 'request_changes', 'Please send the W-9')).statusCode).toBe(200);

      const events = await queryDatabase<{ id: string; resource_key: string }>(database.url, 'SELECT id::text, resource_key FROM domain_events WHERE tenant_id = $1 ORDER BY id', [officer.tenantId]);
      expect(events.length).toBeGreaterThanOrEqual(3);
      const settled = await eventually(when(() => deliveries(subscriptionId), (rows) => rows.length === events.length && rows.every((row) => row.status === 'delivered')), 20_000, 'every delivery delivered');

      const accepted = subscriber.accepted();
      expect(accepted.map((delivery) => delivery.id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(new Set(accepted.map((delivery) => delivery.id)).size).toBe(accepted.length);
      expect(subscriber.received.filter((delivery) => delivery.status === 500)).toHaveLength(3);
      expect(subscriber.received.every((delivery) => delivery.signatureValid)).toBe(true);
      for (const resource of new Set(events.map((event) => event.resource_key))) {
        const order = accepted.filter((delivery) => delivery.resource === resource).map((delivery) => Number(delivery.id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      expect(settled.reduce((sum, row) => sum + row.attempts.length, 0)).toBe(events.length + 3);
    } finally {
      await subscriber.stop();
    }
  }, 40_000);

  it('dead-letters a delivery that keeps failing past its maximum age, and replays it on request', async () => {
    const subscriber = new LocalSubscriber(1_000);
    const officer = await callerOf(['compliance_officer']);
    try {
      const subscriptionId = (await subscribe(await subscriber.start(), officer.tenantId, ['venue.verification_updated'])).json<{ id: string }>().id;
      await startVerification(app, officer, 'venue-events-dead');
      const [dead] = await eventually(when(() => deliveries(subscriptionId), (rows) => rows.length === 1 && rows[0]?.status === 'dead'), 20_000, 'the delivery dead-lettered');
      expect(dead?.attempts.length).toBeGreaterThan(1);

      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/^event_deliveries_dead_total [1-9]/m);
      expect(metrics).toMatch(/^event_delivery_attempts_total\{outcome="failed"\} [1-9]/m);

      subscriber.received.length = 0;
      subscriber.succeedFromNow();
      const replay = await app.inject({ method: 'POST', url: `/admin/event-deliveries/${dead?.id}/replay`, headers: admin });
      expect(`${replay.statusCode} ${replay.body}`).toMatch(/^202 /);
      await eventually(when(() => deliveries(subscriptionId), (rows) => rows[0]?.status === 'delivered'), 20_000, 'the replayed delivery delivered');
      expect(subscriber.accepted().map((delivery) => delivery.id)).toEqual([dead?.eventId]);
    } finally {
      await subscriber.stop();
    }
  }, 40_000);

  it('refuses a subscription with an unknown event type, a short secret or unknown fields, and anyone but an admin', async () => {
    const officer = await callerOf(['compliance_officer']);
    const refused = await app.inject({ method: 'POST', url: '/admin/event-subscriptions', headers: admin, payload: { url: 'http://127.0.0.1:9/x', eventTypes: ['venue.nope'], secret: 'short', extra: 1 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatch(/eventTypes/);
    expect(refused.body).toMatch(/secret/);
    const notAdmin = await app.inject({ method: 'POST', url: '/admin/event-subscriptions', headers: officer.headers, payload: { url: 'http://127.0.0.1:9/x', eventTypes: ['venue.verification_updated'], secret: SECRET } });
    expect(notAdmin.statusCode).toBe(403);
    expect(await queryDatabase(database.url, 'SELECT 1 FROM event_subscriptions WHERE url = $1', ['http://127.0.0.1:9/x'])).toHaveLength(0);
  });

  it('deactivates a subscription, which then receives nothing new', async () => {
    const officer = await callerOf(['compliance_officer']);
    const subscriptionId = (await subscribe('http://127.0.0.1:9/never', officer.tenantId)).json<{ id: string }>().id;
    expect((await app.inject({ method: 'DELETE', url: `/admin/event-subscriptions/${subscriptionId}`, headers: admin })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/admin/event-subscriptions/00000000-0000-4000-8000-000000000000', headers: admin })).statusCode).toBe(404);
    const listed = (await app.inject({ method: 'GET', url: '/admin/event-subscriptions', headers: admin })).json<Array<{ id: string; active: boolean }>>();
    expect(listed.find((subscription) => subscription.id === subscriptionId)?.active).toBe(false);
    await startVerification(app, officer, 'venue-events-inactive');
    await eventually(when(() => queryDatabase<{ pending: number }>(database.url, "SELECT count(*)::int AS pending FROM pgboss.job WHERE name = 'event-fanout' AND state < 'completed'"), ([row]) => row?.pending === 0), 20_000, 'the fan-out done');
    expect(await deliveries(subscriptionId)).toEqual([]);
  });
});
