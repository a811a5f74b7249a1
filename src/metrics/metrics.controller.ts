import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { FeatureFlagsService } from '../flags/feature-flags.service';

/**
 * `GET /metrics` in Prometheus text format while the METRICS_ENDPOINT flag is on (its environment
 * value under any runtime override); a 404 like any unknown route when it is off. Scrapes skip
 * throttling and load shedding (guards/exempt-paths.ts), and nestjs-pino does not run for them.
 */
@Controller('metrics')
@SkipThrottle()
export class MetricsController extends PrometheusController {
  constructor(private readonly flags: FeatureFlagsService) {
    super();
  }

  @Get()
  @Header('cache-control', 'no-store')
  override async index(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.flags.isServiceFlagEnabled('METRICS_ENDPOINT')) throw new NotFoundException('Cannot GET /metrics');
    return super.index(reply);
  }
}
