import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { errors, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RequestPrincipal } from '../common/request-principal';
import type { AppConfig, AuthConfig } from '../config/app-config';
import { AuthenticationError } from './auth.errors';
import { isRole } from './roles';

/** RFC 7519 §4.1.4 leaves skew to the verifier; 30 s absorbs ordinary clock drift between pods. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Callers (the payments service above all) reuse one token for many requests. */
const CACHE_LIMIT = 10_000;

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  tenant_id: z.uuid({ message: 'tenant_id must be a UUID' }),
  roles: z.array(z.string()).min(1, { message: 'roles must name at least one role' }),
  venue_ids: z.array(z.string().min(1).max(100)).max(1000).optional(),
  exp: z.number(),
});

interface CachedPrincipal {
  principal: RequestPrincipal;
  expiresAtMs: number;
}

/**
 * Verifies HS256 bearer tokens: signature with JWT_SECRET or, during a rotation,
 * JWT_SECRET_PREVIOUS; `iss` and `aud`; `exp` (required) and `nbf` with 30 s tolerance; then the
 * claims this service needs. A verified token's principal is cached until it expires, keyed by a
 * digest of the token, so the hot path pays for one HMAC per token rather than per request.
 */
@Injectable()
export class JwtVerifier {
  private readonly auth: AuthConfig;
  private readonly keys: Uint8Array[];
  private readonly cache = new Map<string, CachedPrincipal>();

  constructor(config: ConfigService<AppConfig, true>) {
    this.auth = config.get('auth', { infer: true });
    this.keys = this.auth.jwtSecrets.map((secret) => new TextEncoder().encode(secret));
  }

  async verify(token: string, nowMs = Date.now()): Promise<RequestPrincipal> {
    const cacheKey = createHash('sha256').update(token).digest('base64');
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined && nowMs < cached.expiresAtMs) return cached.principal;
    if (cached !== undefined) this.cache.delete(cacheKey);
    const payload = await this.verifySignatureAndTimes(token, nowMs);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new AuthenticationError(`The token's claims are invalid: ${claims.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const roles = claims.data.roles.filter(isRole);
    if (roles.length === 0) throw new AuthenticationError('The token carries no role this service knows');
    const principal: RequestPrincipal = {
      tenantId: claims.data.tenant_id.toLowerCase(),
      userId: claims.data.sub,
      roles,
      venueIds: claims.data.venue_ids ?? [],
    };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(cacheKey, { principal, expiresAtMs: (claims.data.exp + CLOCK_TOLERANCE_SECONDS) * 1000 });
    return principal;
  }

  private async verifySignatureAndTimes(token: string, nowMs: number): Promise<unknown> {
    let lastError: unknown;
    for (const key of this.keys) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: this.auth.issuer,
          audience: this.auth.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(nowMs),
        });
        return payload;
      } catch (error) {
        lastError = error;
        // Only a signature mismatch may be a token signed with the previous secret.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw new AuthenticationError(describeJoseError(lastError));
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is invalid (${error.reason})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token must be signed with HS256';
  return 'The token is malformed';
}
