import fc from 'fast-check';
import { platformSignatureHeader, verifyPlatformSignature } from './platform-signature';
import { WebhookSignatureError } from './webhooks.errors';

const SECRET = 'current-secret-0123456789abcdef0123456789';
const PREVIOUS = 'previous-secret-0123456789abcdef012345678';
const NOW = 1_800_000_000;
const body = Buffer.from('{"id":"evt_1","type":"ticket_sale.completed"}');

function codeOf(work: () => void): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (!(error instanceof WebhookSignatureError)) throw error;
    return error.code;
  }
}

describe('platform webhook signatures', () => {
  it('accepts the current secret, and the previous one only while configured', () => {
    expect(codeOf(() => verifyPlatformSignature(body, platformSignatureHeader(body, SECRET, NOW), [SECRET], NOW))).toBeUndefined();
    const signedWithPrevious = platformSignatureHeader(body, PREVIOUS, NOW);
    expect(codeOf(() => verifyPlatformSignature(body, signedWithPrevious, [SECRET, PREVIOUS], NOW))).toBeUndefined();
    expect(codeOf(() => verifyPlatformSignature(body, signedWithPrevious, [SECRET], NOW))).toBe('WEBHOOK.INVALID_SIGNATURE');
  });

  it('accepts any of several v1 signatures', () => {
    const both = `${platformSignatureHeader(body, 'not-ours', NOW)},v1=${platformSignatureHeader(body, SECRET, NOW).split('v1=')[1]}`;
    expect(codeOf(() => verifyPlatformSignature(body, both, [SECRET], NOW))).toBeUndefined();
  });

  it('refuses timestamps more than 300 s old or ahead, and accepts the edges', () => {
    for (const skew of [-300, 0, 300]) expect(codeOf(() => verifyPlatformSignature(body, platformSignatureHeader(body, SECRET, NOW + skew), [SECRET], NOW))).toBeUndefined();
    expect(codeOf(() => verifyPlatformSignature(body, platformSignatureHeader(body, SECRET, NOW - 301), [SECRET], NOW))).toBe('WEBHOOK.STALE_SIGNATURE');
    expect(codeOf(() => verifyPlatformSignature(body, platformSignatureHeader(body, SECRET, NOW + 301), [SECRET], NOW))).toBe('WEBHOOK.STALE_SIGNATURE');
  });

  it('refuses missing and malformed headers', () => {
    for (const header of [undefined, '', 'v1=abc', `t=${NOW}`, `t=${NOW},v1=xyz`, `t=soon,v1=${'a'.repeat(64)}`, `t=${NOW},t=${NOW},v1=${'a'.repeat(64)}`]) {
      expect(codeOf(() => verifyPlatformSignature(body, header, [SECRET], NOW))).toBe('WEBHOOK.INVALID_SIGNATURE');
    }
  });

  it('refuses any change to the body or the timestamp', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const raw = Buffer.from(bytes);
        const header = platformSignatureHeader(raw, SECRET, NOW);
        const tampered = Buffer.from(raw);
        const index = at % tampered.length;
        tampered[index] = (tampered[index] as number) ^ flip;
        expect(codeOf(() => verifyPlatformSignature(tampered, header, [SECRET], NOW))).toBe('WEBHOOK.INVALID_SIGNATURE');
        expect(codeOf(() => verifyPlatformSignature(raw, header.replace(`t=${NOW}`, `t=${NOW + 1}`), [SECRET], NOW))).toBe('WEBHOOK.INVALID_SIGNATURE');
      }),
    );
  });
});
