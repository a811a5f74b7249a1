import type { FastifyInstance } from 'fastify';
import type { JobEngine } from './job-engine';

/**
 * Stops pg-boss when Fastify closes: after the server stopped accepting connections and in-flight
 * requests finished (a request may still enqueue), and before Nest's shutdown hooks close the
 * app's database pool, which running job handlers still use.
 */
export function registerJobEngineShutdown(fastify: FastifyInstance, engine: JobEngine): void {
  fastify.addHook('onClose', async () => {
    await engine.stop();
  });
}
