import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER, requestIdFor } from '../common/request-id';
import type { HttpMetricsRecorder } from '../metrics/http-metrics.recorder';
import { livenessAnswer } from './health-response';
import { LIVENESS_PATH } from './health.routes';

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Answers `GET /health/live` (exactly that request target) on the HTTP server, before Fastify's
 * router, its request and reply objects and every request hook. Even with no hook of ours, Fastify
 * and Nest's adapter cost a probe as much again as node:http itself; kubelets probe every pod
 * all its life, and `npm run bench:health` holds liveness to 0.70 of a raw node:http server (see
 * the README). What the hooks do for a probe is done here too: the same bytes (livenessAnswer),
 * `x-request-id` (kept or made as for any request), `cache-control: no-store`, the request
 * counted in the HTTP metrics, and `Connection: close` once the server is closing (see
 * keep-alive-shutdown.hooks.ts). Probes skip the request context, the request log,
 * authentication and load shedding anyway. Any other request, `HEAD` or a query string included,
 * goes to Fastify, whose /health/live route answers the same.
 *
 * Takes the place of Fastify's one `request` listener; call before the server listens.
 */
export function installLivenessFastPath(fastify: FastifyInstance, recorder: HttpMetricsRecorder, version: string): void {
  const server = fastify.server;
  const listeners = server.listeners('request');
  if (listeners.length !== 1) throw new Error(`installLivenessFastPath expects Fastify's one request listener on its server, found ${listeners.length}`);
  const fastifyListener = listeners[0] as RequestListener;
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  server.removeListener('request', fastifyListener);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.url !== LIVENESS_PATH || request.method !== 'GET') {
      fastifyListener(request, response);
      return;
    }
    const startedAt = performance.now();
    recorder.started();
    const { contentType, body } = livenessAnswer(request.headers.accept, version);
    response.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
      [REQUEST_ID_HEADER]: requestIdFor(request),
      ...(closing && request.httpVersionMajor === 1 ? { connection: 'close' } : {}),
    });
    response.end(body);
    // Until the response is handed to the socket: it is written at once, there is nothing to wait for.
    recorder.finished('GET', LIVENESS_PATH, 200, (performance.now() - startedAt) / 1000);
  });
}
