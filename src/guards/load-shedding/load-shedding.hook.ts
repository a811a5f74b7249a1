import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter, Gauge } from 'prom-client';
import { markOverloadRefusal } from '../../common/overload-refusal';
import { buildProblem, PROBLEM_CONTENT_TYPE } from '../../common/problem-details';
import { RateLimitedLogger } from '../../common/rate-limited-logger';
import type { AppConfig, LoadSheddingConfig } from '../../config/app-config';
import { FeatureFlagsService } from '../../flags/feature-flags.service';
import { isShedExemptPath } from '../exempt-paths';
import { LoadMonitor } from './load-monitor';
import { LOAD_SHED_REQUESTS, LOAD_SHEDDING_ACTIVE } from './load-shedding.metrics';
import { SHED_REASONS, type ShedReason, shedReason } from './shed-decision';

/** Long enough for a turn or two of the loop to pass; clients add their own jitter. */
const RETRY_AFTER_SECONDS = 1;
const ACTIVE_GAUGE_INTERVAL_MS = 250;

/**
 * Load shedding as a Fastify `onRequest` hook: the decision is made before the body is read and
 * before Nest's pipeline runs, so a refused request costs a route lookup and a small 503. A global
 * Nest guard would run only after body parsing and the router, on every request (measured: see
 * README "Load shedding"). Follows the LOAD_SHEDDING flag at runtime.
 */
@Injectable()
export class LoadSheddingHook implements OnModuleInit, OnApplicationShutdown {
  private readonly thresholds: LoadSheddingConfig;
  private shedSinceLastSample = 0;
  private readonly refusalLog = new RateLimitedLogger(new Logger('LoadShedding'));
  private gaugeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly monitor: LoadMonitor,
    private readonly flags: FeatureFlagsService,
    config: ConfigService<AppConfig, true>,
    @InjectMetric(LOAD_SHED_REQUESTS) private readonly shed: Counter<'route' | 'reason'>,
    @InjectMetric(LOAD_SHEDDING_ACTIVE) private readonly active: Gauge,
  ) {
    this.thresholds = config.get('loadShedding', { infer: true });
  }

  /** Before the app initialises (Nest registers its routes then): `onRoute` must see every route. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      // @Criticality and @NeverShed arrive in the route's config (see criticality.decorator.ts).
      const shedExempt = isShedExemptPath(route.url) || route.config?.shedExempt === true;
      route.config = { ...route.config, shedExempt };
      // One series per route and reason from the start (bounded: routes are templates), so the
      // dashboard shows 0 rather than "No data" until something is shed.
      if (!shedExempt) for (const reason of SHED_REASONS) this.shed.inc({ route: route.url, reason }, 0);
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      const config = request.routeOptions.config;
      if (config.shedExempt === true || !this.flags.isServiceFlagEnabled('LOAD_SHEDDING')) return done();
      const reason = shedReason(config.criticality ?? 'default', this.monitor.signals(), this.thresholds);
      if (reason === undefined) {
        this.monitor.track(reply.raw);
        return done();
      }
      this.refuse(request, reply, reason);
    });
  }

  onModuleInit(): void {
    this.active.set(0);
    this.gaugeTimer = setInterval(() => {
      this.active.set(this.shedSinceLastSample > 0 ? 1 : 0);
      this.shedSinceLastSample = 0;
    }, ACTIVE_GAUGE_INTERVAL_MS);
    this.gaugeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.gaugeTimer);
  }

  private refuse(request: FastifyRequest, reply: FastifyReply, reason: ShedReason): void {
    this.shedSinceLastSample += 1;
    this.shed.inc({ route: request.routeOptions.url ?? 'unmatched', reason });
    markOverloadRefusal(request);
    this.refusalLog.warn(reason, `Shedding load (${reason}): refusing requests with 503`, { reason });
    void reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(
        buildProblem({
          status: 503,
          code: 'LOAD.SHED',
          detail: `The service is overloaded and refused this request before doing any work; retry after ${RETRY_AFTER_SECONDS} s`,
          instance: request.url.split('?')[0] ?? request.url,
          requestId: request.id,
        }),
      );
  }
}
