import type { Breadcrumb, ErrorEvent, Event } from '@sentry/node';
import { scrubBreadcrumb, scrubEvent, scrubSpan } from './personal-data.scrubber';

/** What a verification request carries that must never reach Sentry. */
const PERSONAL = {
  legalName: 'Blue Note Hall LLC',
  ownerName: 'Ada Lovelace',
  ein: '12-3456789',
  ssn: '123-45-6789',
  email: 'owner@bluenote.example',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.payload.signature',
  stripeSignature: 't=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
  internalToken: 'internal-token-0123456789abcdef',
  idempotencyKey: 'idem-7f3a9c',
  session: 'session-cookie-value-91b2',
  documentBytes: '%PDF-1.7 W-9 Request for Taxpayer Identification Number',
};

function requestErrorEvent(): ErrorEvent {
  return {
    type: undefined,
    event_id: 'a'.repeat(32),
    release: '1.4.0',
    environment: 'production',
    transaction: `POST /api/v1/venues/:venueId/verifications?email=${PERSONAL.email}`,
    tags: { route: '/api/v1/venues/:venueId/verifications', request_id: 'req-1', contactEmail: PERSONAL.email },
    request: {
      method: 'POST',
      url: `https://compliance.internal/api/v1/venues/venue-1/verifications?name=${encodeURIComponent(PERSONAL.ownerName)}&email=${PERSONAL.email}`,
      query_string: `name=${encodeURIComponent(PERSONAL.ownerName)}&email=${PERSONAL.email}`,
      cookies: { session: PERSONAL.session },
      data: { legalName: PERSONAL.legalName, ein: PERSONAL.ein, contactEmail: PERSONAL.email, beneficialOwners: [{ fullName: PERSONAL.ownerName }] },
      headers: {
        authorization: `Bearer ${PERSONAL.bearer}`,
        cookie: `session=${PERSONAL.session}`,
        'stripe-signature': PERSONAL.stripeSignature,
        'x-signature': PERSONAL.stripeSignature,
        'x-internal-token': PERSONAL.internalToken,
        'idempotency-key': PERSONAL.idempotencyKey,
        'content-type': 'application/json',
        'x-request-id': 'req-1',
      },
    },
    user: { ip_address: '203.0.113.7', email: PERSONAL.email },
    extra: { submission: { legalName: PERSONAL.legalName }, attempt: 2 },
    contexts: {
      runtime: { name: 'node', version: 'v22.22.3' },
      venue: { legalName: PERSONAL.legalName, ein: PERSONAL.ein },
      trace: { trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16), data: { 'http.route': '/api/v1/venues/:venueId/verifications', 'url.full': `https://x/api?email=${PERSONAL.email}`, 'url.query': `?email=${PERSONAL.email}` } },
    },
    exception: {
      values: [
        {
          type: 'QueryFailedError',
          value: `duplicate key: Key (ein, contact_email)=(${PERSONAL.ein}, ${PERSONAL.email}) already exists; owner ssn ${PERSONAL.ssn}`,
          stacktrace: {
            frames: [
              { filename: '/app/dist/modules/venues/verification.repository.js', function: 'VerificationRepository.insert', lineno: 42, vars: { submission: PERSONAL.legalName, ein: PERSONAL.ein } },
            ],
          },
        },
      ],
    },
    breadcrumbs: [
      { category: 'console', message: `screening ${PERSONAL.ownerName}` },
      { category: 'http', type: 'http', data: { url: `https://api.stripe.com/v1/accounts?email=${PERSONAL.email}`, method: 'GET', status_code: 200, 'http.query': `email=${PERSONAL.email}` } },
    ],
  };
}

describe('scrubEvent', () => {
  it('leaves none of the personal data, credentials or documents a failed request carried', () => {
    const event = requestErrorEvent();
    event.extra = { ...event.extra, document: PERSONAL.documentBytes };
    const sent = JSON.stringify(scrubEvent(event));
    for (const [what, value] of Object.entries(PERSONAL)) {
      expect({ what, leaked: sent.includes(value) || sent.includes(encodeURIComponent(value)) }).toEqual({ what, leaked: false });
    }
    expect(sent).not.toContain('203.0.113.7');
  });

  it('keeps what triage needs: release, environment, route and request id, method and path, error class and frames', () => {
    const scrubbed = scrubEvent(requestErrorEvent());
    expect(scrubbed).toMatchObject({
      release: '1.4.0',
      environment: 'production',
      transaction: 'POST /api/v1/venues/:venueId/verifications',
      tags: { route: '/api/v1/venues/:venueId/verifications', request_id: 'req-1' },
      request: { method: 'POST', url: 'https://compliance.internal/api/v1/venues/venue-1/verifications', headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' } },
      contexts: { runtime: { name: 'node' }, trace: { data: { 'http.route': '/api/v1/venues/:venueId/verifications', 'url.full': 'https://x/api' } } },
      extra: { attempt: 2 },
    });
    expect(scrubbed.request).not.toHaveProperty('data');
    expect(scrubbed.request).not.toHaveProperty('query_string');
    expect(scrubbed.request).not.toHaveProperty('cookies');
    expect(scrubbed.contexts).not.toHaveProperty('venue');
    const [exception] = scrubbed.exception?.values ?? [];
    expect(exception).toMatchObject({ type: 'QueryFailedError', value: 'duplicate key: Key (ein, contact_email)=([tin], [email]) already exists; owner ssn [tin]' });
    expect(exception?.stacktrace?.frames).toEqual([{ filename: '/app/dist/modules/venues/verification.repository.js', function: 'VerificationRepository.insert', lineno: 42 }]);
    expect(scrubbed.breadcrumbs).toEqual([{ category: 'http', type: 'http', data: { url: 'https://api.stripe.com/v1/accounts', method: 'GET', status_code: 200 } }]);
  });

  it('does not mistake ordinary words for taxpayer fields (protein, setting)', () => {
    const scrubbed = scrubEvent({ extra: { protein: 1, setting: 'x', retries: 3 } });
    expect(scrubbed.extra).toEqual({ protein: 1, setting: 'x', retries: 3 });
  });
});

describe('scrubSpan', () => {
  it('drops query and header attributes and bound parameters, strips query strings, keeps the parameterised statement', () => {
    const scrubbed = scrubSpan({
      trace_id: 'b'.repeat(32),
      span_id: 'd'.repeat(16),
      name: `GET https://lists.example/sdn.csv?token=${PERSONAL.internalToken}`,
      start_timestamp: 1,
      status: 'ok',
      is_segment: false,
      attributes: {
        'http.request.header.authorization': `Bearer ${PERSONAL.bearer}`,
        'url.query': `q=${PERSONAL.email}`,
        'url.full': { value: `https://x/api/v1/screenings?name=${PERSONAL.ownerName}`, type: 'string' },
        'db.query.text': 'SELECT id FROM venues WHERE id = $1',
        'db.query.parameter.0': PERSONAL.ein,
        'db.connection_string': 'postgres://compliance:hunter2@db:5432/compliance',
        'sentry.status.message': { value: `refused (venue-1,pending,"${PERSONAL.legalName}")`, type: 'string' },
      },
    });
    expect(scrubbed.name).toBe('GET https://lists.example/sdn.csv');
    expect(scrubbed.attributes).toEqual({ 'url.full': { value: 'https://x/api/v1/screenings', type: 'string' }, 'db.query.text': 'SELECT id FROM venues WHERE id = $1' });
  });
  it('keeps only the command of a Redis statement, whose keys and values can hold cached screening results', () => {
    const scrubbed = scrubSpan({
      trace_id: 'b'.repeat(32),
      span_id: 'e'.repeat(16),
      name: 'set 127.0.0.1:6379',
      start_timestamp: 1,
      status: 'ok',
      is_segment: false,
      attributes: {
        'sentry.origin': { value: 'auto.db.redis.native_channel', type: 'string' },
        'sentry.segment.name': { value: 'POST /api/v1/screenings', type: 'string' },
        'db.query.text': { value: `set compliance:screening:cache {"name":"${PERSONAL.ownerName}"} EX 86400`, type: 'string' },
      },
    });
    expect(scrubbed.attributes).toEqual({
      'sentry.origin': { value: 'auto.db.redis.native_channel', type: 'string' },
      'sentry.segment.name': { value: 'POST /api/v1/screenings', type: 'string' },
      'db.query.text': { value: 'set', type: 'string' },
    });
  });
});

describe('scrubBreadcrumb', () => {
  it('drops console breadcrumbs, whose log lines can quote anything', () => {
    expect(scrubBreadcrumb({ category: 'console', message: `approved ${PERSONAL.ownerName}` })).toBeNull();
  });

  it('keeps an outgoing request breadcrumb without its query string', () => {
    const breadcrumb: Breadcrumb = { category: 'fetch', type: 'http', data: { method: 'POST', url: `https://hooks.example/events?email=${PERSONAL.email}`, status_code: 500 } };
    expect(scrubBreadcrumb(breadcrumb)).toEqual({ category: 'fetch', type: 'http', data: { method: 'POST', url: 'https://hooks.example/events', status_code: 500 } });
  });
});
