import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { TEST_SECRETS } from './test-app';
import { TEST_AUTH } from './tokens';

export interface CraftedToken {
  secret?: string;
  issuer?: string;
  audience?: string;
  roles?: string[];
  tenantId?: string;
  /** Seconds from now (negative: in the past). */
  expiresIn?: number;
  notBefore?: number;
}

/** A token with any claim wrong on purpose; by default one the test app accepts. */
export async function craftedToken(options: CraftedToken = {}): Promise<{ authorization: string }> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ tenant_id: options.tenantId ?? randomUUID(), roles: options.roles ?? ['compliance_officer'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`crafted-${randomUUID().slice(0, 8)}`)
    .setIssuer(options.issuer ?? TEST_AUTH.issuer)
    .setAudience(options.audience ?? TEST_AUTH.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.notBefore !== undefined) jwt = jwt.setNotBefore(now + options.notBefore);
  const token = await jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRETS.JWT_SECRET));
  return { authorization: `Bearer ${token}` };
}
