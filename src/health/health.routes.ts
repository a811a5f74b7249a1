import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import type { ReadinessReport } from './component-health';
import { HEALTH_JSON, type ServiceIdentity, toGuideBody, toHealthJson, wantsHealthJson } from './health-response';
import { ReadinessService } from './readiness.service';

export const LIVENESS_PATH = '/health/live';
export const READINESS_PATH = '/health/ready';

/**
 * Kubelet probes, registered on Fastify directly rather than as a Nest controller: no Nest guard,
 * interceptor or pipe (auth, flags, throttling, bulkheads) can ever stand between a probe and its
 * answer, and liveness stays close to raw Fastify speed (bench:health).
 * Liveness looks at nothing outside the process (a database outage must not get every pod
 * restarted) and stays 200 while the pod drains; readiness reports the dependencies.
 */
@Injectable()
export class HealthRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readiness: ReadinessService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get(LIVENESS_PATH, (request, reply) => {
      // Answering at all proves the event loop turns and the app finished initialising.
      const report: ReadinessReport = { status: 'healthy', checkedAt: new Date(), components: {} as ReadinessReport['components'] };
      this.send(request, reply, 200, report, false);
    });
    fastify.get(READINESS_PATH, async (request, reply) => {
      const report = await this.readiness.report();
      const ok = report.status === 'healthy' || report.status === 'degraded';
      this.send(request, reply, ok ? 200 : 503, report, this.config.get('flags', { infer: true }).DETAILED_HEALTH_CHECKS);
    });
  }

  private send(request: FastifyRequest, reply: FastifyReply, statusCode: number, report: ReadinessReport, detailed: boolean): void {
    const identity: ServiceIdentity = { version: this.config.get('version', { infer: true }), uptimeSeconds: Math.floor(process.uptime()) };
    const healthJson = wantsHealthJson(request.headers.accept);
    const body = healthJson ? toHealthJson(report, identity, detailed) : toGuideBody(report, identity, detailed);
    void reply
      .status(statusCode)
      .header('cache-control', 'no-store')
      .header('content-type', healthJson ? HEALTH_JSON : 'application/json; charset=utf-8')
      .send(body);
  }
}
