import type { FastifyInstance } from 'fastify';

/**
 * Ends keep-alive connections as their last response goes out once the server is closing. Node's
 * `server.close()` closes only the connections idle at that moment, and Fastify marks
 * `Connection: close` only on requests that arrive after it; a request already running when the
 * drain ends keeps its connection open after its response, for the whole 65 s keep-alive timeout,
 * and the shutdown runs into its deadline and exits 1 (test/shutdown.e2e-spec.ts reproduces it).
 */
export function registerKeepAliveShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (closing && request.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
    done(null, payload);
  });
}
