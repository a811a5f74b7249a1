import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { mergeRouteConfig } from './fastify-route-config';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `@KeepsRawBody()`: the JSON parser keeps the request's bytes as `request.rawBody`. */
    rawBody?: boolean;
  }
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

/**
 * `@KeepsRawBody()`: the route needs the exact bytes it received (webhook signatures are computed
 * over them; re-serialised JSON differs in whitespace and key order). The body is still parsed as
 * JSON for the handler.
 */
export function KeepsRawBody(): MethodDecorator {
  return (_target: object, _key: string | symbol, descriptor: PropertyDescriptor) => {
    mergeRouteConfig(descriptor.value as object, { rawBody: true });
  };
}

type JsonParser = (request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void) => void;

/**
 * Registers the application/json parser Nest would register by default (Fastify's own parser,
 * prototype and constructor poisoning refused, HTTP_BODY_LIMIT_BYTES), which additionally keeps the
 * bytes on routes marked `@KeepsRawBody()`. Rather than Nest's `rawBody: true` app option, which
 * keeps every JSON body of every route, and which only apps created with that option get (the
 * testing module's apps and the OpenAPI tool create their own). Call before `app.init()`.
 */
export function registerJsonParserKeepingRawBodies(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error') as unknown as JsonParser;
  app.useBodyParser('application/json', { bodyLimit }, (request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
    if (request.routeOptions.config.rawBody === true) request.rawBody = body;
    parseJson(request, body, done);
  });
}
