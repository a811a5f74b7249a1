import type { Role } from '../auth/roles';

/**
 * Who a request acts for, as the verified JWT says (src/auth/authentication.hook.ts sets
 * `request.principal` before any guard runs). Never taken from request headers such as
 * `x-tenant-id`, which any caller can set.
 */
export interface RequestPrincipal {
  tenantId: string;
  /** The token's `sub`: a user for people, the calling service's name for `service` tokens. */
  userId: string;
  roles: readonly Role[];
  /** `venue_owner` tokens act only for these venues. */
  venueIds: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: RequestPrincipal;
  }
}

/** Keyed by the raw Node request, which Nest's middleware (the CLS context) receives. */
const principalsByRawRequest = new WeakMap<object, RequestPrincipal>();

/** Records the verified principal on the request, where both Fastify and Nest middleware can find it. */
export function attachPrincipal(request: { raw: object; principal?: RequestPrincipal }, principal: RequestPrincipal): void {
  request.principal = principal;
  principalsByRawRequest.set(request.raw, principal);
}

export function principalOfRawRequest(raw: object): RequestPrincipal | undefined {
  return principalsByRawRequest.get(raw);
}
