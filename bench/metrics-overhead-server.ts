/**
 * Child process of bench/metrics-overhead.ts: a Nest + Fastify app with one tiny route, with the
 * service's HTTP metrics hooks and default Node.js metrics (`on`) or without any metrics (`off`).
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { collectDefaultMetrics } from 'prom-client';
import { registerHttpMetricsHooks } from '../src/metrics/http-metrics.hooks';
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

async function main(): Promise<void> {
  const metrics = process.argv[2] === 'on';
  const app = await NestFactory.create<NestFastifyApplication>(TinyModule, new FastifyAdapter(), { logger: false });
  if (metrics) {
    collectDefaultMetrics();
    registerHttpMetricsHooks(app.getHttpAdapter().getInstance(), app.get(HttpMetricsRecorder));
  }
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
