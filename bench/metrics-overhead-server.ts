/**
 * Child process of bench/metrics-overhead.ts: a Nest + Fastify app with one tiny route and
 * - `off`: no metrics;
 * - `on`: the service's HTTP metrics hooks and prom-client's default Node.js metrics;
 * - `prom-client`: the same hooks written the obvious way, with prom-client's Histogram and Counter
 *   (the reference that src/metrics/request-duration.histogram.ts is measured against).
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import { HTTP_DURATION_BUCKETS, HTTP_LABEL_NAMES } from '../src/metrics/http-metric-names';
import { methodLabelOf, registerHttpMetricsHooks, routeLabelOf } from '../src/metrics/http-metrics.hooks';
import { HttpMetricsRecorder } from '../src/metrics/http-metrics.recorder';
import { httpMetricProviders } from '../src/metrics/http.metrics';

@Controller('api/v1/venues')
class TinyController {
  @Get(':venueId')
  venue(@Param('venueId') venueId: string): { venueId: string; status: string } {
    return { venueId, status: 'verified' };
  }
}

@Module({ controllers: [TinyController], providers: [...httpMetricProviders, HttpMetricsRecorder] })
class TinyModule {}

function registerPromClientHooks(fastify: FastifyInstance): void {
  const duration = new Histogram({ name: 'reference_http_request_duration_seconds', help: 'reference', labelNames: HTTP_LABEL_NAMES, buckets: HTTP_DURATION_BUCKETS });
  const requests = new Counter({ name: 'reference_http_requests_total', help: 'reference', labelNames: HTTP_LABEL_NAMES });
  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = { method: methodLabelOf(request.method), route: routeLabelOf(request.routeOptions.url), status_code: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
    done();
  });
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const app = await NestFactory.create<NestFastifyApplication>(TinyModule, new FastifyAdapter(), { logger: false });
  const fastify = app.getHttpAdapter().getInstance();
  if (mode !== 'off') collectDefaultMetrics();
  if (mode === 'on') registerHttpMetricsHooks(fastify, app.get(HttpMetricsRecorder));
  if (mode === 'prom-client') registerPromClientHooks(fastify);
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
