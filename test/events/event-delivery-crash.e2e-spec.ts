import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../helpers/eventually';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { ADMIN_TOKEN } from '../helpers/guarded-app';
import { ServiceProcess } from '../helpers/service-process';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';

const SECRET = 'crash-subscriber-secret-0123456789abcdef0123';
const EVENT_TYPES = ['venue.verification_updated', 'venue.payout_eligibility_changed'];
const VENUES = ['venue-crash-a', 'venue-crash-b', 'venue-crash-c'];

/**
 * A subscriber on localhost that never answers the first delivery it gets (the request stays open
 * until the sender dies) and answers 200 to every later one, recording what it acknowledged.
 */
class HoldingSubscriber {
  held: { eventId: string } | undefined;
  readonly acknowledged: Array<{ eventId: string; resource: string }> = [];
  private readonly open = new Set<ServerResponse>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const event = JSON.parse(Buffer.concat(chunks).toString()) as { id: string; resource: string };
        if (this.held === undefined) {
          this.held = { eventId: event.id };
          this.open.add(response);
          return;
        }
        this.acknowledged.push({ eventId: event.id, resource: event.resource });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/events`;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }
}

describe('events out when the service is killed mid-delivery', () => {
  let database: { url: string; drop: () => Promise<void> };
  const subscriber = new HoldingSubscriber();
  const services: ServiceProcess[] = [];

  /**
   * The service as a pod runs it (node dist/index.js), on this suite's database. A delivery times
   * out after 8 s: well after the kill, which follows the held request within the few calls that
   * cause the events, while its lease (timeout + 5 s) runs out seconds after the restart.
   */
  const startService = async () => {
    const { service, base } = await ServiceProcess.startOnTestDatabase({
      DATABASE_URL: database.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      SHUTDOWN_DRAIN_MS: '0',
      JOBS_POLL_INTERVAL_SECONDS: '0.5',
      EVENT_DELIVERY_TIMEOUT_MS: '8000',
      EVENT_DELIVERY_RETRY_BASE_MS: '100',
      EVENT_DELIVERY_RETRY_MAX_MS: '400',
    });
    services.push(service);
    return { service, base };
  };
  const sql = <T>(text: string, parameters: unknown[] = []) => queryDatabase<T>(database.url, text, parameters);
  const call = async (base: string, headers: Record<string, string>, method: string, path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as { id: string };
  };

  beforeAll(async () => {
    // Its own database: other suites' delivery workers must not take these jobs.
    database = await migratedScratchDatabase('eventcrash');
  }, 60_000);

  afterAll(async () => {
    for (const service of services) service.kill('SIGKILL');
    await Promise.all(services.map((service) => service.exited));
    await subscriber.stop();
    await database?.drop();
  });

  it('delivers every event after a SIGKILL during a delivery and a restart, acknowledged once each, in order per venue', async () => {
    const officer: TestCaller = await callerOf(['compliance_officer']);
    const first = await startService();
    const subscription = await call(first.base, { 'x-internal-token': ADMIN_TOKEN }, 'POST', '/admin/event-subscriptions', {
      url: await subscriber.start(), eventTypes: EVENT_TYPES, tenantId: officer.tenantId, secret: SECRET,
    });

    // Two events or more per venue: whichever delivery the subscriber holds has later ones of its venue waiting behind it.
    for (const venueId of VENUES) {
      const verification = await call(first.base, officer.headers, 'POST', `/api/v1/venues/${venueId}/verifications`, submission());
      await call(first.base, officer.headers, 'POST', `/api/v1/verifications/${verification.id}/decisions`, { decision: 'request_changes', reason: 'Please send the W-9' });
    }
    const events = await sql<{ id: string; resource_key: string }>('SELECT id::text, resource_key FROM domain_events WHERE tenant_id = $1 AND type = ANY($2) ORDER BY id', [officer.tenantId, EVENT_TYPES]);
    expect(events.length).toBeGreaterThanOrEqual(2 * VENUES.length);

    const held = await eventually(async () => subscriber.held, 20_000, 'a delivery held open by the subscriber');
    first.service.kill('SIGKILL');
    expect(await first.service.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const [inFlight] = await sql<{ status: string; attempts: number }>('SELECT status, attempts FROM event_deliveries WHERE subscription_id = $1 AND event_id = $2', [subscription.id, held.eventId]);
    // Killed mid-attempt: leased and counted, its outcome never recorded.
    expect(inFlight).toEqual({ status: 'pending', attempts: 1 });

    const second = await startService();
    const admin = await callerOf(['admin']);
    // The sweep restarts what a crash left leased; it runs every minute, and here at once when the lease has run out.
    await eventually(
      async () => ((await sql("SELECT 1 FROM event_deliveries WHERE subscription_id = $1 AND status = 'pending' AND lease_until > now()", [subscription.id])).length === 0 ? true : undefined),
      20_000,
      'the lease of the killed attempt has run out',
    );
    const sweep = await fetch(`${second.base}/api/v1/jobs/event-delivery-sweep/run`, { method: 'POST', headers: admin.headers });
    expect(sweep.status).toBe(202);

    const deliveries = await eventually(
      async () => {
        const rows = await sql<{ event_id: string; status: string; attempts: number; acknowledgements: number }>(
          `SELECT d.event_id::text, d.status, d.attempts,
             (SELECT count(*)::int FROM event_delivery_attempts a WHERE a.delivery_id = d.id AND a.status_code = 200) AS acknowledgements
           FROM event_deliveries d WHERE d.subscription_id = $1 ORDER BY d.event_id`,
          [subscription.id],
        );
        return rows.length === events.length && rows.every((row) => row.status === 'delivered') ? rows : undefined;
      },
      30_000,
      'every delivery delivered after the restart',
    );

    expect(deliveries.map((row) => row.event_id)).toEqual(events.map((event) => event.id));
    expect(deliveries.map((row) => row.acknowledgements)).toEqual(events.map(() => 1));
    expect(deliveries.find((row) => row.event_id === held.eventId)?.attempts).toBeGreaterThanOrEqual(2);

    const firstAcknowledged = [...new Map(subscriber.acknowledged.map((delivery) => [delivery.eventId, delivery.resource])).entries()];
    expect(firstAcknowledged.map(([eventId]) => eventId).sort()).toEqual(events.map((event) => event.id).sort());
    for (const venueId of VENUES) {
      const order = firstAcknowledged.filter(([, resource]) => resource === `venue:${venueId}`).map(([eventId]) => Number(eventId));
      expect(order.length).toBeGreaterThanOrEqual(2);
      expect({ venueId, order }).toEqual({ venueId, order: [...order].sort((a, b) => a - b) });
    }

    second.service.kill('SIGTERM');
    expect(await second.service.exited).toEqual({ code: 0, signal: null });
  }, 90_000);
});
