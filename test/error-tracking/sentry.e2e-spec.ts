import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { migratedScratchDatabase, queryDatabase } from '../helpers/flag-store';
import { freePort } from '../helpers/free-port';
import { ServiceProcess } from '../helpers/service-process';
import { callerOf } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';

/** An envelope as Sentry's ingest endpoint receives it: a header line, then item header and payload lines. */
interface Envelope {
  path: string;
  text: string;
  items: Array<{ type: string; payload: Record<string, unknown> }>;
}

/** Stands in for the DSN's ingest endpoint: keeps every envelope POSTed to it. */
class IngestReceiver {
  readonly envelopes: Envelope[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
      this.envelopes.push({ path: request.url ?? '', text, items: itemsOf(text) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async listen(port: number): Promise<void> {
    await new Promise<void>((listening) => this.server.listen(port, '127.0.0.1', listening));
  }

  async close(): Promise<void> {
    await new Promise((closed) => this.server.close(closed));
  }

  errorEvents(): Array<Record<string, unknown>> {
    return this.envelopes.flatMap((envelope) => envelope.items.filter((item) => item.type === 'event').map((item) => item.payload));
  }
}

/** Line 1 is the envelope header; then each item is a header line and a payload line. */
function itemsOf(text: string): Envelope['items'] {
  const lines = text.split('\n').filter((line) => line !== '');
  const items: Envelope['items'] = [];
  for (let index = 1; index + 1 < lines.length; index += 2) {
    const header = JSON.parse(lines[index] ?? '{}') as { type: string };
    items.push({ type: header.type, payload: JSON.parse(lines[index + 1] ?? '{}') as Record<string, unknown> });
  }
  return items;
}

/** What the failing request carries, in its body, query string and headers. */
const PERSONAL = {
  legalName: 'Harmonia Concert Hall LLC',
  ownerName: 'Grace Hopper',
  ein: '12-3456789',
  email: 'grace.hopper@harmonia.example',
  queryEmail: 'screened.person@example.org',
  signature: 't=1700000000,v1=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  internalToken: 'internal-token-5b0c7e2a91d4',
  idempotencyKey: 'idem-sentry-e2e-4c1d',
};

/**
 * The service runs as its own process, as a pod runs it: the SDK starts before the app's modules
 * load (src/error-tracking/instrument.ts), hooks into the process (diagnostics channels, module
 * loading), and flushes on shutdown. Every request is made, and the service stopped, before the
 * assertions read what reached the receiver.
 */
describe('error tracking: a 5xx reaches the DSN’s ingest endpoint, tagged, without personal data', () => {
  const receiver = new IngestReceiver();
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let bearer: string;
  const answers = new Map<string, number>();

  beforeAll(async () => {
    const port = await freePort();
    await receiver.listen(port);
    database = await migratedScratchDatabase('sentry');
    // The write fails the way a broken dependency does, and the driver's message quotes the whole row.
    await queryDatabase(database.url, `
      CREATE FUNCTION refuse_verification() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused %', NEW::text; END $$`);
    await queryDatabase(database.url, 'CREATE TRIGGER refuse_verification BEFORE INSERT ON venue_verifications FOR EACH ROW EXECUTE FUNCTION refuse_verification()');
    bearer = (await callerOf(['compliance_officer'])).headers.authorization;
    const { service, base } = await ServiceProcess.startOnTestDatabase({
      DATABASE_URL: database.url,
      SENTRY_DSN: `http://publickey@127.0.0.1:${port}/1`,
      SENTRY_TRACES_SAMPLE_RATE: '1',
      APP_VERSION: '9.8.7-e2e',
      SHUTDOWN_DRAIN_MS: '0',
    });
    try {
      const failing = await fetch(`${base}/api/v1/venues/venue-sentry-1/verifications?email=${encodeURIComponent(PERSONAL.queryEmail)}&name=${encodeURIComponent(PERSONAL.ownerName)}`, {
        method: 'POST',
        headers: {
          authorization: bearer,
          'content-type': 'application/json',
          'x-request-id': 'sentry-e2e-500',
          'x-signature': PERSONAL.signature,
          'stripe-signature': PERSONAL.signature,
          'x-internal-token': PERSONAL.internalToken,
          'idempotency-key': PERSONAL.idempotencyKey,
          cookie: `session=${PERSONAL.internalToken}`,
        },
        body: JSON.stringify(submission({
          legalName: PERSONAL.legalName,
          ein: PERSONAL.ein,
          contactEmail: PERSONAL.email,
          beneficialOwners: [{ fullName: PERSONAL.ownerName, dateOfBirth: '1906-12-09', ownershipPercent: 60 }],
        })),
      });
      answers.set('sentry-e2e-500', failing.status);
      const refused = await fetch(`${base}/api/v1/venues/venue-sentry-2/verifications`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json', 'x-request-id': 'sentry-e2e-400' },
        body: JSON.stringify({ ein: PERSONAL.ein }),
      });
      answers.set('sentry-e2e-400', refused.status);
    } finally {
      // The graceful shutdown's last step flushes what the SDK still holds.
      service.kill('SIGTERM');
      await service.exited;
    }
    // A scratch database to migrate and a service process to start and stop.
  }, 90_000);

  afterAll(async () => {
    await receiver.close();
    await database?.drop();
  });

  it('sends the 5xx once, with release, environment, route template and request id', () => {
    expect(answers.get('sentry-e2e-500')).toBe(500);
    expect(receiver.envelopes.map((envelope) => envelope.path.split('?')[0])).toEqual(receiver.envelopes.map(() => '/api/1/envelope/'));
    const events = receiver.errorEvents().filter((event) => tagsOf(event).request_id === 'sentry-e2e-500');
    expect(events).toEqual([
      expect.objectContaining({
        release: '9.8.7-e2e',
        environment: 'production',
        tags: expect.objectContaining({ route: '/api/v1/venues/:venueId/verifications', request_id: 'sentry-e2e-500' }),
        exception: { values: [expect.objectContaining({ type: 'QueryFailedError', value: 'SQLSTATE P0001' })] },
      }),
    ]);
  });

  it('sends none of the personal data, credentials or signatures the request carried, in any envelope', () => {
    const everythingSent = receiver.envelopes.map((envelope) => envelope.text).join('\n');
    expect(receiver.envelopes.flatMap((envelope) => envelope.items.map((item) => item.type))).toEqual(expect.arrayContaining(['event', 'span']));
    for (const [what, value] of Object.entries({ ...PERSONAL, bearer: bearer.replace(/^Bearer /, '') })) {
      expect({ what, leaked: everythingSent.includes(value) || everythingSent.includes(encodeURIComponent(value)) }).toEqual({ what, leaked: false });
    }
  });

  it('sends nothing for a 4xx', () => {
    expect(answers.get('sentry-e2e-400')).toBe(400);
    expect(receiver.errorEvents().filter((event) => tagsOf(event).request_id === 'sentry-e2e-400')).toEqual([]);
  });
});

function tagsOf(event: Record<string, unknown>): Record<string, unknown> {
  return (event.tags ?? {}) as Record<string, unknown>;
}
