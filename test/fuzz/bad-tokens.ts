import { craftedToken } from '../helpers/crafted-tokens';
import { TEST_AUTH } from '../helpers/tokens';

export interface BadToken {
  label: string;
  /** The Authorization header to send; undefined sends none. */
  authorization: string | undefined;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Tokens every /api route must refuse (401, or 403 for a role the route does not admit), before
 * anything of the request is acted on. `tenantId` is the seeded tenant: a refusal must not depend
 * on whose data is asked for.
 */
export async function badTokens(tenantId: string): Promise<BadToken[]> {
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'mallory', tenant_id: tenantId, roles: ['admin'], iss: TEST_AUTH.issuer, aud: TEST_AUTH.audience, exp: now + 600 })}.`;
  const signedBy = async (label: string, options: Parameters<typeof craftedToken>[0]): Promise<BadToken> => ({ label, authorization: (await craftedToken({ tenantId, roles: ['admin'], ...options })).authorization });
  return [
    { label: 'no Authorization header', authorization: undefined },
    await signedBy('another secret', { secret: 'another-secret-0123456789abcdef0123456789' }),
    await signedBy('expired', { expiresIn: -120 }),
    { label: 'an empty Bearer', authorization: 'Bearer ' },
    { label: 'Basic credentials', authorization: 'Basic YWRtaW46YWRtaW4=' },
    { label: 'a token that is not a JWT', authorization: 'Bearer not-a-jwt' },
    { label: 'alg none', authorization: `Bearer ${unsigned}` },
    await signedBy('not yet valid', { notBefore: 600 }),
    await signedBy('another issuer', { issuer: 'someone-else' }),
    await signedBy('another audience', { audience: 'payments-service' }),
    await signedBy('only unknown roles', { roles: ['superuser'] }),
    await signedBy('a tenant that is not a UUID', { tenantId: "' OR 1=1 --" }),
  ];
}

/** Sent to every operation: no token, a forged one, an expired one (the other tenant's is its own case). */
const ALWAYS_SENT = 3;
const ROTATING_PER_OPERATION = 2;

/**
 * The tokens one operation gets: the first ALWAYS_SENT of `tokens`, and the next two of the rest
 * in turn (operation n gets rest[2n], rest[2n+1], wrapping), so every kind reaches several routes.
 * The authentication hook is one for all routes; the sample keeps the run short.
 */
export function tokensForOperation(tokens: readonly BadToken[], operationNumber: number): BadToken[] {
  const rest = tokens.slice(ALWAYS_SENT);
  const rotating = Array.from({ length: Math.min(ROTATING_PER_OPERATION, rest.length) }, (_unused, offset) => rest[(operationNumber * ROTATING_PER_OPERATION + offset) % rest.length] as BadToken);
  return [...tokens.slice(0, ALWAYS_SENT), ...rotating];
}
