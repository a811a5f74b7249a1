import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './webhooks.errors';

/** The platform's scheme is Stripe's: HMAC-SHA256 over "<t>.<raw body>", ±300 s (README "Webhooks"). */
export const PLATFORM_SIGNATURE_TOLERANCE_SECONDS = 300;
const TIMESTAMP = /^\d{1,12}$/;
const V1 = /^[0-9a-f]{64}$/i;

/**
 * Checks `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">[,v1=…]` against each
 * secret (WEBHOOK_SECRET, then WEBHOOK_SECRET_PREVIOUS during a rotation). Several v1 values let
 * the sender sign with old and new secret at once. The timestamp must be within the tolerance in
 * both directions: an old one is a replay, a future one a clock or forgery problem, and accepting
 * it would extend the replay window. Digests are compared in constant time (timingSafeEqual).
 */
export function verifyPlatformSignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[], nowSeconds: number): void {
  if (header === undefined || header === '') throw new WebhookSignatureError('The X-Signature header is missing');
  const { timestamp, signatures } = parseHeader(header);
  const age = nowSeconds - timestamp;
  if (Math.abs(age) > PLATFORM_SIGNATURE_TOLERANCE_SECONDS) {
    throw new WebhookSignatureError(
      `The signature's timestamp is ${Math.abs(age)} s in the ${age > 0 ? 'past' : 'future'}; at most ${PLATFORM_SIGNATURE_TOLERANCE_SECONDS} s either way is accepted`,
      'WEBHOOK.STALE_SIGNATURE',
    );
  }
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
    return signatures.some((signature) => timingSafeEqual(expected, signature));
  });
  if (!matches) throw new WebhookSignatureError('No v1 signature in X-Signature matches the body: it was not signed with the shared secret, or the body was changed');
}

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (!TIMESTAMP.test(value) || timestamp !== undefined) throw malformed();
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!V1.test(value)) throw malformed();
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future v2) are ignored, as Stripe's verifier does.
  }
  if (timestamp === undefined || signatures.length === 0) throw malformed();
  return { timestamp, signatures };
}

function malformed(): WebhookSignatureError {
  return new WebhookSignatureError('X-Signature must be "t=<unix seconds>,v1=<64 hex digits>" (one t, one or more v1)');
}

/** What the platform computes; used by tests and documented in the README (openssl). */
export function platformSignatureHeader(rawBody: string | Buffer, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}
