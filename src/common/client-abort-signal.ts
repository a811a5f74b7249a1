import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

export class ClientClosedRequestError extends Error {
  constructor() {
    super('The client closed the connection before the response was sent');
    this.name = 'ClientClosedRequestError';
  }
}

const signals = new WeakMap<ServerResponse, AbortSignal>();

/**
 * Aborts when the client closes the connection before the response has been sent, so work done
 * for nobody can stop (pass it to queries and outgoing calls). Fastify's own `request.signal`
 * cannot serve: it listens to the request stream's 'close', which Node also emits as soon as a
 * request body has been read, so every POST would look cancelled (measured on Fastify 5.12).
 */
export function clientAbortSignal(reply: FastifyReply): AbortSignal {
  const response = reply.raw;
  const existing = signals.get(response);
  if (existing !== undefined) return existing;
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new ClientClosedRequestError());
  });
  signals.set(response, controller.signal);
  return controller.signal;
}

/** `@ClientAbortSignal() signal: AbortSignal` in a handler: see `clientAbortSignal`. */
export const ClientAbortSignal = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal =>
  clientAbortSignal(context.switchToHttp().getResponse<FastifyReply>()),
);
