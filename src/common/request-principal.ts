/**
 * Who a request acts for, once authentication has established it. The auth module sets
 * `request.principal`; until it exists the property stays undefined, and features that key on the
 * caller (flag targeting, rate-limit trackers) fall back to what is not forgeable: the client IP.
 * Never taken from request headers such as `x-tenant-id`, which any caller can set.
 */
export interface RequestPrincipal {
  tenantId: string;
  userId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: RequestPrincipal;
  }
}
