import type { FastifyRequest } from 'fastify';

/** Requests refused for overload (shed, bulkhead full or timed out), by their Node request object. */
const refused = new WeakSet<object>();

/**
 * A 503 for overload is an expected answer, not a failure: the guard that refuses counts it in its
 * metrics and logs it at a bounded rate. Marking the request keeps the exception filter and the
 * request log from writing an error line per refusal, which under overload would be a flood of
 * exactly the work shedding exists to avoid.
 */
export function markOverloadRefusal(request: FastifyRequest): void {
  refused.add(request.raw);
}

export function isOverloadRefusal(request: FastifyRequest): boolean {
  return refused.has(request.raw);
}
