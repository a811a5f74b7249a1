/**
 * Child process of bench/health-probes.bench.ts (through ts-node): the floors under the service's
 * /health/live. BENCH_SERVER picks what it serves on PORT:
 * - `fastify`: Fastify with its defaults and one route answering as /health/live does — the floor
 *   any Fastify application stands on;
 * - `adapter`: the same route on the Fastify instance the application's adapter builds
 *   (createFastifyAdapter: Nest's own request hooks, its version constraint, our request ids).
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

// The compiled application, the code `node dist/index.js` runs (and no TypeScript to compile at start).
const { createFastifyAdapter } = require('../dist/app.factory') as typeof import('../src/app.factory');
const { loadConfig } = require('../dist/config/config.loader') as typeof import('../src/config/config.loader');
const { livenessAnswer } = require('../dist/health/health-response') as typeof import('../src/health/health-response');

function serveLiveness(fastify: FastifyInstance): void {
  fastify.get('/health/live', (request, reply: FastifyReply) => {
    const { contentType, body } = livenessAnswer(request.headers.accept, '1.0.0');
    void reply.header('cache-control', 'no-store').header('content-type', contentType).send(body);
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const mode = process.env.BENCH_SERVER;
  if (mode !== 'fastify' && mode !== 'adapter') throw new Error(`BENCH_SERVER must be fastify or adapter, not ${mode}`);
  const fastify = mode === 'fastify' ? Fastify() : (createFastifyAdapter(loadConfig(process.env)).getInstance() as unknown as FastifyInstance);
  serveLiveness(fastify);
  await fastify.listen({ port, host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
