import multipart from '@fastify/multipart';
import type { DynamicModule } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuthenticationHook } from './auth/authentication.hook';
import { answerFrameworkError } from './common/framework-error.handler';
import { registerJsonParserKeepingRawBodies } from './common/raw-body';
import { registerConsoleAssets } from './console/console-assets';
import { REQUEST_ID_HEADER, requestIdFor } from './common/request-id';
import { RequestContextHook } from './common/request-context.hook';
import type { AppConfig } from './config/app-config';
import { JobEngine } from './jobs/job-engine';
import { registerJobEngineShutdown } from './jobs/job-engine.shutdown';
import { registerKeepAliveShutdown } from './lifecycle/keep-alive-shutdown.hooks';
import { registerRequestLogging } from './logging/request-log.hooks';
import { LoadSheddingHook } from './guards/load-shedding/load-shedding.hook';
import { installLivenessFastPath } from './health/liveness.fast-path';
import { HttpMetricsRecorder } from './metrics/http-metrics.recorder';
import { registerHttpMetricsHooks } from './metrics/http-metrics.hooks';
import { buildOpenApiDocument } from './openapi/openapi-document';

/**
 * Builds the Nest application on Fastify, configured exactly as in production; `index.ts` listens
 * on it and the e2e tests drive it with `inject`. `config.database.url` must be resolved.
 */
export async function createApp(config: AppConfig, extraImports: NonNullable<DynamicModule['imports']> = []): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraImports), createFastifyAdapter(config), { bufferLogs: true });
  return configureApp(app, config);
}

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: requestIdFor,
    // Trust X-Forwarded-For only from the listed proxy addresses (proxy-addr walks the chain from the
    // TCP peer and stops at the first untrusted hop), never by hop count: a caller that reaches the
    // pod directly must not pick its own address. An empty list trusts nobody.
    trustProxy: config.http.trustedProxies.length > 0 ? config.http.trustedProxies : false,
    // Kubernetes' Service and kube-proxy keep connections open; stay below typical LB idle timeouts.
    keepAliveTimeout: 65_000,
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
  });
}

/**
 * Everything after Nest created the app and before it initialises. Separate from `createApp` so
 * that tests which override providers (Nest's testing module) get the very same setup.
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<NestFastifyApplication> {
  const logger = app.get(Logger);
  app.useLogger(logger);
  const fastify = app.getHttpAdapter().getInstance();
  // First of all hooks: a request answered early by a later hook is still counted (see the function).
  registerHttpMetricsHooks(fastify, app.get(HttpMetricsRecorder));
  // Before every hook that reads or fills the request context (authentication adds the principal).
  app.get(RequestContextHook).register(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  registerRequestLogging(fastify, logger);
  registerKeepAliveShutdown(fastify);
  registerJobEngineShutdown(fastify, app.get(JobEngine));
  // Before shedding, flags and rate limits, which all key on the caller it establishes.
  app.get(AuthenticationHook).register(fastify);
  // After the request id (a 503 carries it), before Nest registers its routes (it reads their @Criticality).
  app.get(LoadSheddingHook).register(fastify);
  // A plain `GET /health/live` is answered in front of Fastify and all of the above (see the function).
  installLivenessFastPath(fastify, app.get(HttpMetricsRecorder), config.version);
  // Limits are set per upload route (documents: DOCUMENT_MAX_BYTES); JSON keeps HTTP_BODY_LIMIT_BYTES.
  await app.register(multipart);
  // Webhook signatures are checked against the bytes received (see the function).
  registerJsonParserKeepingRawBodies(app, config.http.bodyLimitBytes);
  await registerConsoleAssets(app, (message) => logger.warn(message, 'Console'));
  if (config.apiDocs) SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app, config.version), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
