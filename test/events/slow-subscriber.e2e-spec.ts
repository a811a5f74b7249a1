import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_DELIVERY_JOB } from '../../src/modules/events/delivery/event-job-definitions';
import { pdfBytes } from '../fixtures/document-bytes';
import { eventually } from '../helpers/eventually';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { ADMIN_TOKEN } from '../helpers/guarded-app';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification, upload } from '../helpers/venue-flow';

const SECRET = 'slow-subscriber-secret-0123456789abcdef012345';
const admin = { 'x-internal-token': ADMIN_TOKEN };
const EVENT_TYPES = ['venue.verification_updated', 'venue.payout_eligibility_changed'];

/**
 * The delivery timing of this suite. The timeout leaves room for what a prompt delivery takes
 * through the job engine (a poll for the fan-out job, one for the delivery job: about a second at
 * JOBS_POLL_INTERVAL_SECONDS 0.5), so "before the slow subscriber's attempt timed out" is a fact
 * about isolation, not about speed. A failed attempt is retried after [base/2, base] (equal jitter).
 */
const TIMEOUT_MS = 3_000;
const RETRY_BASE_MS = 3_000;

interface ReceivedRequest {
  eventId: string;
  receivedAt: number;
  /** When the sender gave up on a held request (its timeout); undefined while it is held. */
  abandonedAt?: number;
}

/** A subscriber on localhost that answers 200 at once, or never (it holds every request open until the sender gives up). */
class LocalSubscriber {
  readonly requests: ReceivedRequest[] = [];
  /** The most requests this end held open at once. */
  mostHeldAtOnce = 0;
  private readonly held = new Set<ServerResponse>();
  private server: Server | undefined;

  constructor(private readonly answers: 'at-once' | 'never') {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: ReceivedRequest = { eventId: (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id, receivedAt: Date.now() };
        this.requests.push(received);
        if (this.answers === 'at-once') {
          response.writeHead(200).end();
          return;
        }
        this.held.add(response);
        this.mostHeldAtOnce = Math.max(this.mostHeldAtOnce, this.held.size);
        response.on('close', () => {
          this.held.delete(response);
          received.abandonedAt = Date.now();
        });
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/events`;
  }

  eventIds(): string[] {
    return this.requests.map((request) => request.eventId);
  }

  /** Requests the sender abandoned (timed out), as this end saw them close. */
  abandoned(): ReceivedRequest[] {
    return this.requests.filter((request) => request.abandonedAt !== undefined);
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((done) => this.server?.close(done));
  }
}

interface Subscribed {
  subscriber: LocalSubscriber;
  subscriptionId: string;
}

interface DeliveryView {
  id: string;
  eventId: string;
  status: string;
  attempts: Array<{ attempt: number; statusCode: number | null; error: string | null; durationMs: number }>;
}

/**
 * The real app on a database of its own (the delivery workers of other suites' apps must not take
 * these jobs), delivering with the given timeout, and the subscribers its tests start.
 */
class EventsOutSuite {
  private database: { url: string; drop: () => Promise<void> } | undefined;
  private application: NestFastifyApplication | undefined;
  private readonly started: Subscribed[] = [];

  private constructor(
    private readonly purpose: string,
    private readonly timeoutMs: number,
  ) {}

  /** A suite whose app runs for the enclosing `describe`, its subscribers for one test each. */
  static forDescribe(purpose: string, timeoutMs: number): EventsOutSuite {
    const suite = new EventsOutSuite(purpose, timeoutMs);
    beforeAll(() => suite.start(), 60_000);
    afterEach(() => suite.stopSubscribers());
    afterAll(() => suite.stop());
    return suite;
  }

  get app(): NestFastifyApplication {
    if (this.application === undefined) throw new Error('The suite has not started');
    return this.application;
  }

  get databaseUrl(): string {
    if (this.database === undefined) throw new Error('The suite has not started');
    return this.database.url;
  }

  async subscribe(answers: 'at-once' | 'never', tenantId: string, eventTypes = EVENT_TYPES): Promise<Subscribed> {
    const subscriber = new LocalSubscriber(answers);
    const created = await this.app.inject({ method: 'POST', url: '/admin/event-subscriptions', headers: admin, payload: { url: await subscriber.start(), eventTypes, tenantId, secret: SECRET } });
    expect(created.statusCode).toBe(201);
    const subscriptionId = created.json<{ id: string }>().id;
    this.started.push({ subscriber, subscriptionId });
    return { subscriber, subscriptionId };
  }

  async eventIdsOf(tenantId: string, eventTypes = EVENT_TYPES): Promise<string[]> {
    const events = await queryDatabase<{ id: string }>(this.databaseUrl, 'SELECT id::text FROM domain_events WHERE tenant_id = $1 AND type = ANY($2) ORDER BY id', [tenantId, eventTypes]);
    return events.map((event) => event.id);
  }

  async deliveries(subscriptionId: string): Promise<DeliveryView[]> {
    return (await this.app.inject({ method: 'GET', url: `/admin/event-subscriptions/${subscriptionId}/deliveries`, headers: admin })).json<DeliveryView[]>();
  }

  /** The subscription's delivery jobs (drains) per pg-boss state. */
  async drainsOf(subscriptionId: string): Promise<Record<string, number>> {
    const rows = await queryDatabase<{ state: string; jobs: number }>(
      this.databaseUrl,
      "SELECT state::text, count(*)::int AS jobs FROM pgboss.job WHERE name = $1 AND data->>'subscriptionId' = $2 GROUP BY state",
      [EVENT_DELIVERY_JOB.name, subscriptionId],
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.jobs]));
  }

  private async start(): Promise<void> {
    this.database = await migratedScratchDatabase(this.purpose);
    this.application = await startTestApp({
      DATABASE_URL: this.database.url,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      JOBS_POLL_INTERVAL_SECONDS: '0.5',
      EVENT_DELIVERY_TIMEOUT_MS: String(this.timeoutMs),
      EVENT_DELIVERY_RETRY_BASE_MS: String(RETRY_BASE_MS),
      EVENT_DELIVERY_RETRY_MAX_MS: String(RETRY_BASE_MS),
      EVENT_DELIVERY_MAX_AGE_SECONDS: '120',
    });
  }

  // Deactivated first, so that the attempts failing when the held requests are cut are not retried.
  private async stopSubscribers(): Promise<void> {
    for (const { subscriptionId } of this.started) await this.app.inject({ method: 'DELETE', url: `/admin/event-subscriptions/${subscriptionId}`, headers: admin });
    await Promise.all(this.started.map(({ subscriber }) => subscriber.stop()));
    this.started.length = 0;
  }

  private async stop(): Promise<void> {
    await this.application?.close();
    await this.database?.drop();
  }
}

/** Another event of the venue: a document upload refreshes its verification's checklist. */
const uploadDocument = (app: NestFastifyApplication, officer: TestCaller, venueId: string, label: string) => upload(app, officer, venueId, { kind: 'OTHER' }, pdfBytes(`${label} ${venueId}`));

describe('events out: a slow subscriber delays neither the API nor other subscribers', () => {
  const suite = EventsOutSuite.forDescribe('slowsub', TIMEOUT_MS);

  it('answers the API and delivers every event to a prompt subscriber while a delivery to a hanging one is still held', async () => {
    const officer = await callerOf(['compliance_officer']);
    const hanging = await suite.subscribe('never', officer.tenantId);
    const prompt = await suite.subscribe('at-once', officer.tenantId);
    await startVerification(suite.app, officer, 'venue-slow-a');
    await eventually(async () => (hanging.subscriber.requests.length > 0 ? true : undefined), 10_000, 'a delivery held by the hanging subscriber');

    for (const label of ['first', 'second', 'third']) {
      const response = await uploadDocument(suite.app, officer, 'venue-slow-a', label);
      expect(response.statusCode).toBe(201);
      // The write that recorded an event has answered, and the held delivery has not timed out yet.
      expect(hanging.subscriber.abandoned()).toEqual([]);
    }

    const events = await suite.eventIdsOf(officer.tenantId);
    expect(events.length).toBeGreaterThanOrEqual(4);
    await eventually(async () => (prompt.subscriber.requests.length >= events.length ? true : undefined), 10_000, 'every event at the prompt subscriber');
    // Every event reached the prompt subscriber, in order, before the hanging one's first attempt ended
    // (delivering behind it would take a timeout per event).
    expect(hanging.subscriber.abandoned()).toEqual([]);
    expect(hanging.subscriber.requests).toHaveLength(1);
    expect(prompt.subscriber.eventIds()).toEqual(events);
  }, 20_000);

  it('records a timed-out attempt, retries it after the backoff, and holds the later events of the venue without re-running the drain in a loop', async () => {
    const officer = await callerOf(['compliance_officer']);
    const hanging = await suite.subscribe('never', officer.tenantId);
    await startVerification(suite.app, officer, 'venue-slow-b');
    await uploadDocument(suite.app, officer, 'venue-slow-b', 'later');
    const events = await suite.eventIdsOf(officer.tenantId);
    expect(events.length).toBeGreaterThanOrEqual(2);

    const [first, second] = await eventually(async () => (hanging.subscriber.requests.length >= 2 ? hanging.subscriber.requests : undefined), 15_000, 'a second attempt');
    // Both are attempts of the venue's oldest event: the later ones wait behind it.
    expect([first?.eventId, second?.eventId]).toEqual([events[0], events[0]]);
    expect(first?.abandonedAt).toBeDefined();
    expect((second?.receivedAt ?? 0) - (first?.abandonedAt ?? 0)).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2 - 200);

    // Each event starts one drain of the subscription and each drain run schedules at most one
    // more, at the next head's due time: a drain re-run at every poll while the head backs off
    // would have made several times as many by now.
    const jobs = Object.values(await suite.drainsOf(hanging.subscriptionId)).reduce((sum, count) => sum + count, 0);
    expect(jobs).toBeLessThanOrEqual(2 * events.length + 2);

    const log = await suite.deliveries(hanging.subscriptionId);
    const head = log.find((delivery) => delivery.eventId === events[0]);
    expect(head?.status).toBe('pending');
    const [timedOut] = head?.attempts ?? [];
    // No answer, cut at the timeout. (The message is "TimeoutError: …" in the service; under Jest the
    // abort's DOMException comes from another realm than the test's Error, so it is not matched here.)
    expect(timedOut).toMatchObject({ attempt: 1, statusCode: null, error: expect.any(String) });
    expect(timedOut?.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(timedOut?.durationMs).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(log.filter((delivery) => delivery.eventId !== events[0]).map((delivery) => ({ status: delivery.status, attempts: delivery.attempts.length }))).toEqual(
      events.slice(1).map(() => ({ status: 'pending', attempts: 0 })),
    );
  }, 25_000);

  it('holds a delivery worker for at most one timeout: with more hanging subscribers than workers, a prompt one is served before any retry', async () => {
    const officer = await callerOf(['compliance_officer']);
    const eventTypes = ['venue.verification_updated'];
    const workers = EVENT_DELIVERY_JOB.concurrency ?? 1;
    const hanging: Subscribed[] = [];
    for (let index = 0; index <= workers; index += 1) hanging.push(await suite.subscribe('never', officer.tenantId, eventTypes));
    const prompt = await suite.subscribe('at-once', officer.tenantId, eventTypes);
    await startVerification(suite.app, officer, 'venue-slow-c');
    const events = await suite.eventIdsOf(officer.tenantId, eventTypes);
    expect(events).toHaveLength(1);

    await eventually(async () => (prompt.subscriber.requests.length > 0 ? true : undefined), 2 * TIMEOUT_MS + 5_000, 'the event at the prompt subscriber');
    expect(prompt.subscriber.eventIds()).toEqual(events);
    // No hanging subscriber got a second attempt yet: the prompt one did not wait for a retry round.
    expect(hanging.map(({ subscriber }) => subscriber.requests.length).every((count) => count <= 1)).toBe(true);
  }, 25_000);
});

/**
 * Longer than it takes to record an event of each of more venues than there are delivery workers and
 * to deliver them to a prompt subscriber, one venue after another (about a second each): the first
 * attempt to a hanging subscriber is still held when the last venue's events have been delivered.
 */
const LONG_TIMEOUT_MS = 25_000;

describe('events out: a hanging subscriber holds one delivery worker, however many venues it is sent events of', () => {
  const suite = EventsOutSuite.forDescribe('slowsubvenues', LONG_TIMEOUT_MS);

  it('has one request open at a time at the hanging subscriber, while a prompt one gets the events of more venues than there are workers', async () => {
    const officer = await callerOf(['compliance_officer']);
    const workers = EVENT_DELIVERY_JOB.concurrency ?? 1;
    const hanging = await suite.subscribe('never', officer.tenantId);
    const prompt = await suite.subscribe('at-once', officer.tenantId);
    await startVerification(suite.app, officer, 'venue-many-0');
    await eventually(async () => (hanging.subscriber.requests.length > 0 ? true : undefined), 10_000, 'a delivery held by the hanging subscriber');

    // One venue after another, each once the prompt subscriber has the events so far: every venue's
    // events queue a drain of the hanging subscription while its first request is held.
    for (let venue = 1; venue <= workers; venue += 1) {
      await startVerification(suite.app, officer, `venue-many-${venue}`);
      const events = await suite.eventIdsOf(officer.tenantId);
      await eventually(async () => (prompt.subscriber.requests.length >= events.length ? true : undefined), LONG_TIMEOUT_MS, `the events of venue ${venue} at the prompt subscriber`);
    }

    // A drain per venue would each have leased its venue's head and waited on the hanging subscriber,
    // taking every worker: the prompt subscriber's last venue would then have waited for the first
    // of them to time out.
    expect(hanging.subscriber.mostHeldAtOnce).toBe(1);
    expect(await suite.drainsOf(hanging.subscriptionId)).toMatchObject({ active: 1 });
    expect(hanging.subscriber.abandoned()).toEqual([]);
    expect(prompt.subscriber.eventIds()).toEqual(await suite.eventIdsOf(officer.tenantId));
  }, 2 * LONG_TIMEOUT_MS + 15_000);
});
