import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** A test-only route answering the client address Fastify resolved (`request.ip`), which rate limits key on. */
export function addClientAddressRoute(fastify: FastifyInstance): void {
  fastify.get('/test/client-address', async (request) => ({ ip: request.ip }));
}

export async function clientAddressSeenBy(app: NestFastifyApplication, remoteAddress: string, forwardedFor?: string): Promise<string> {
  const headers = forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
  return (await app.inject({ url: '/test/client-address', remoteAddress, headers })).json<{ ip: string }>().ip;
}
