import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config';

/**
 * `GET /metrics` in Prometheus text format, when the METRICS_ENDPOINT flag is on; a 404 like any
 * unknown route when it is off. Scrapes skip throttling (and must skip every later guard: auth,
 * load shedding), and nestjs-pino does not log them (logging.module.ts).
 */
@Controller('metrics')
@SkipThrottle()
export class MetricsController extends PrometheusController {
  constructor(private readonly config: ConfigService<AppConfig, true>) {
    super();
  }

  @Get()
  @Header('cache-control', 'no-store')
  override async index(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.config.get('flags', { infer: true }).METRICS_ENDPOINT) {
      throw new NotFoundException('Cannot GET /metrics: the METRICS_ENDPOINT flag is off');
    }
    return super.index(reply);
  }
}
