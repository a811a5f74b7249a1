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
