import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpMetricsRecorder } from './http-metrics.recorder';

/** The one `route` value of requests no route matched (404s, scanners): raw paths are unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';
/** nginx's "client closed request": the client disconnected before we answered. */
const CLIENT_CLOSED_REQUEST = 499;

/** Node's parser accepts some 30 methods; an unmatched request may use any of them. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const STARTED_AT = Symbol('httpMetricsStartedAt');
type TimedRequest = FastifyRequest & { [STARTED_AT]: number };

/**
 * HTTP RED metrics in Fastify hooks rather than a Nest interceptor: measured on a tiny route an
 * interceptor cost ~37% of throughput, hooks ~4% (bench/metrics-overhead.ts measures ours). Register
 * these before any other hook, so that a request answered early by a later onRequest hook (load
 * shedding) is still counted once in flight and once when it finishes. `/metrics` is counted like
 * any route: scrapes are traffic this process serves.
 */
export function registerHttpMetricsHooks(fastify: FastifyInstance, recorder: HttpMetricsRecorder): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    (request as TimedRequest)[STARTED_AT] = performance.now();
    recorder.started();
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    finish(recorder, request, reply.statusCode);
    done();
  });
  // Fastify runs no onResponse for a request whose client disconnected first. Observing it (how
  // long the client waited before giving up) keeps requests that outlast a client's timeout in p99.
  fastify.addHook('onRequestAbort', (request, done) => {
    finish(recorder, request, CLIENT_CLOSED_REQUEST);
    done();
  });
}

function finish(recorder: HttpMetricsRecorder, request: FastifyRequest, statusCode: number): void {
  const seconds = (performance.now() - (request as TimedRequest)[STARTED_AT]) / 1000;
  recorder.finished(methodLabelOf(request.method), routeLabelOf(request.routeOptions.url), statusCode, seconds);
}

/** The route template (`/api/v1/venues/:venueId`), never the raw path. */
export function routeLabelOf(template: string | undefined): string {
  return template === undefined || template === '' ? UNMATCHED_ROUTE : template;
}

export function methodLabelOf(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'OTHER';
}
