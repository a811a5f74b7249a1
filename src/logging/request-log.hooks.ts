import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { isOverloadRefusal } from '../common/overload-refusal';
import { isExemptPath } from '../guards/exempt-paths';

/**
 * One structured line per request, written from Fastify's `onResponse` hook: request id, method,
 * route template, path (never the query string, which can carry names and emails searched for),
 * status and duration. Probes and scrapes arrive every few seconds from every kubelet and
 * Prometheus and are not logged; nor are requests refused for overload, which their guard logs
 * at most once a second per reason (a line each would add load exactly when there is too much).
 * (nestjs-pino's pino-http middleware logged nothing on Nest 12's
 * Fastify adapter here, and would cost a middleware pass on every request.)
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!isExemptPath(request.url) && !isOverloadRefusal(request)) {
      const entry = {
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        path: request.url.split('?')[0],
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      };
      const message = `${request.method} ${entry.path} ${reply.statusCode}`;
      // nestjs-pino reads (object, message, context): the object's fields become fields of the line.
      if (reply.statusCode >= 500) logger.error(entry, message, 'Request');
      else logger.log(entry, message, 'Request');
    }
    done();
  });
}
