import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { FeatureFlagsService } from '../flags/feature-flags.service';
import type { ReadinessReport } from './component-health';
import { GUIDE_JSON, HEALTH_JSON, livenessAnswer, type ServiceIdentity, toGuideBody, toHealthJson, wantsHealthJson } from './health-response';
import { ReadinessService } from './readiness.service';

export const LIVENESS_PATH = '/health/live';
export const READINESS_PATH = '/health/ready';

/**
 * Kubelet probes, registered on Fastify directly rather than as a Nest controller: no Nest guard,
 * interceptor or pipe (auth, flags, throttling, bulkheads) can ever stand between a probe and its
 * answer.
 * Liveness looks at nothing outside the process (a database outage must not get every pod
 * restarted) and stays 200 while the pod drains; readiness reports the dependencies.
 */
@Injectable()
export class HealthRoutes implements OnModuleInit {
  private readonly version: string;
  /** Readiness changes at most once per check interval: serialise each report once per format. */
  private readonly serialised = new WeakMap<ReadinessReport, Map<string, string>>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readiness: ReadinessService,
    private readonly flags: FeatureFlagsService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.version = config.get('version', { infer: true });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Answering at all proves the event loop turns and the app finished initialising. A plain
    // `GET /health/live` is answered before Fastify (liveness.fast-path.ts); this route answers
    // the other forms (HEAD, a query string) and `inject`.
    fastify.get(LIVENESS_PATH, (request, reply) => {
      const { contentType, body } = livenessAnswer(request.headers.accept, this.version);
      this.send(reply, 200, contentType, body);
    });
    fastify.get(READINESS_PATH, async (request, reply) => {
      const report = await this.readiness.report();
      const ok = report.status === 'healthy' || report.status === 'degraded';
      const healthJson = wantsHealthJson(request.headers.accept);
      const detailed = this.flags.isServiceFlagEnabled('DETAILED_HEALTH_CHECKS');
      this.send(reply, ok ? 200 : 503, healthJson ? HEALTH_JSON : GUIDE_JSON, this.readinessBody(report, healthJson, detailed));
    });
  }

  private readinessBody(report: ReadinessReport, healthJson: boolean, detailed: boolean): string {
    const uptimeSeconds = Math.floor(process.uptime());
    const key = `${healthJson}:${detailed}:${uptimeSeconds}`;
    let bodies = this.serialised.get(report);
    if (bodies === undefined) {
      bodies = new Map();
      this.serialised.set(report, bodies);
    }
    let body = bodies.get(key);
    if (body === undefined) {
      const identity: ServiceIdentity = { version: this.version, uptimeSeconds };
      body = JSON.stringify(healthJson ? toHealthJson(report, identity, detailed) : toGuideBody(report, identity, detailed));
      bodies.set(key, body);
    }
    return body;
  }

  private send(reply: FastifyReply, statusCode: number, contentType: string, body: string): void {
    void reply.status(statusCode).header('cache-control', 'no-store').header('content-type', contentType).send(body);
  }
}
