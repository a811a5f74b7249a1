import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClsService } from 'nestjs-cls';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../common/problem-details';
import type { RequestContextStore } from '../common/request-context';
import { AuthenticationError } from './auth.errors';
import { JwtVerifier } from './jwt-verifier';

/** Everything under these prefixes acts for a caller; probes, /metrics, /docs and webhooks do not. */
const AUTHENTICATED_PREFIXES = ['/api/'];
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Verifies the caller as a Fastify `onRequest` hook, registered before load shedding and before
 * Nest's guards: flags, rate limits and shedding all see `request.principal`, and a request
 * without a valid token costs one small 401 before its body is read.
 */
@Injectable()
export class AuthenticationHook {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly cls: ClsService<RequestContextStore>,
  ) {}

  register(fastify: FastifyInstance): void {
    // A callback hook, not an async one: probes and scrapes pass through without a promise each.
    fastify.addHook('onRequest', (request, reply, done) => {
      const required = AUTHENTICATED_PREFIXES.some((prefix) => request.url.startsWith(prefix));
      // The admin API also takes the break-glass token (AdminApiGuard): a bearer token there is optional.
      const optional = request.url.startsWith('/admin/') && request.headers.authorization !== undefined;
      if (!required && !optional) {
        done();
        return;
      }
      this.authenticate(request, reply).then(() => done(), done);
    });
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const principal = await this.verifier.verify(bearerTokenOf(request));
      request.principal = principal;
      this.cls.set('principal', principal); // the context RequestContextHook opened
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      refuse(request, reply, error);
    }
  }
}

function bearerTokenOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined) throw new AuthenticationError('An Authorization: Bearer <token> header is required');
  const match = BEARER.exec(header);
  if (match === null) throw new AuthenticationError('The Authorization header must be "Bearer <JWT>"');
  return match[1] as string;
}

function refuse(request: FastifyRequest, reply: FastifyReply, error: AuthenticationError): void {
  void reply
    .code(401)
    // RFC 6750 §3: tell the client which scheme and why; §3.1: no error code when no credentials were sent.
    .header('www-authenticate', request.headers.authorization === undefined ? 'Bearer' : `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(buildProblem({ status: 401, code: error.code, detail: error.message, instance: request.url.split('?')[0] ?? request.url, requestId: request.id }));
}
