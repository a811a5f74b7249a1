import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ClsService } from 'nestjs-cls';
import type { RequestContextStore } from './request-context';

/** Probes and scrapes read no request context: they skip it (they are the most frequent requests). */
const WITHOUT_CONTEXT = /^\/(health\/|metrics(\?|$))/;

/**
 * Opens each request's AsyncLocalStorage context (nestjs-cls) in a Fastify `onRequest` hook, and
 * records the request id in it. Registered before the authentication hook, which adds the
 * principal. A hook rather than nestjs-cls's mounted middleware: that runs through @fastify/middie
 * and Nest's middleware adapter on every request, probes included, which cost /health/live almost
 * half its throughput (`npm run bench:health`). Everything Fastify and Nest run for the request
 * after `done()` (later hooks, body parsing, guards, the handler) inherits the context.
 */
@Injectable()
export class RequestContextHook {
  constructor(private readonly cls: ClsService<RequestContextStore>) {}

  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, _reply, done) => {
      if (WITHOUT_CONTEXT.test(request.url)) {
        done();
        return;
      }
      this.cls.run(() => {
        this.cls.set('requestId', request.id);
        done();
      });
    });
  }
}
