import { SignJWT } from 'jose';
import type { AuthConfig } from '../config/app-config';
import type { Role } from './roles';

export interface TokenRequest {
  subject: string;
  tenantId: string;
  roles: Role[];
  venueIds?: string[];
  /** Lifetime in seconds (default one hour). */
  expiresInSeconds?: number;
}

/** Mints the tokens this service accepts: `npm run token`, tests, benchmarks and the smoke suite. */
export function mintToken(auth: Pick<AuthConfig, 'issuer' | 'audience'>, secret: string, request: TokenRequest): Promise<string> {
  return new SignJWT({ tenant_id: request.tenantId, roles: request.roles, ...(request.venueIds === undefined ? {} : { venue_ids: request.venueIds }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime(`${request.expiresInSeconds ?? 3600}s`)
    .sign(new TextEncoder().encode(secret));
}
