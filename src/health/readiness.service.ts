import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge, Histogram } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import {
  COMPONENTS,
  type ComponentHealth,
  type ComponentName,
  overallStatusOf,
  type ReadinessReport,
  STATUS_GAUGE_VALUE,
} from './component-health';
import { HEALTH_CHECK_DURATION, HEALTH_COMPONENT_STATUS } from './health.metrics';
import { CpuHealthIndicator } from './indicators/cpu.health-indicator';
import { DatabaseHealthIndicator } from './indicators/database.health-indicator';
import { MemoryHealthIndicator } from './indicators/memory.health-indicator';
import { RedisHealthIndicator } from './indicators/redis.health-indicator';
import { SanctionsListHealthIndicator } from './indicators/sanctions-list.health-indicator';

const TERMINUS_STATUS = { healthy: 'up', not_configured: 'up', degraded: 'degraded', unhealthy: 'down' } as const;

/**
 * Readiness of this pod. Checks run at most once per HEALTH_CHECK_INTERVAL_MS and concurrent probes
 * share the run in flight; every check has its own timeout, so a probe storm or a hung dependency
 * costs at most one check of each component per interval.
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger('Readiness');
  private readonly intervalMs: number;
  private latest: ReadinessReport | undefined;
  private inFlight: Promise<ReadinessReport> | undefined;
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly cpu: CpuHealthIndicator,
    private readonly sanctionsList: SanctionsListHealthIndicator,
    @InjectMetric(HEALTH_COMPONENT_STATUS) private readonly statusGauge: Gauge,
    @InjectMetric(HEALTH_CHECK_DURATION) private readonly durationHistogram: Histogram,
    config: ConfigService<AppConfig, true>,
  ) {
    this.intervalMs = config.get('health', { infer: true }).intervalMs;
  }

  /** From now on readiness answers 503 `shutting_down`, so endpoints drop this pod while it drains. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    const report = await this.currentReport();
    return this.shuttingDown ? { ...report, status: 'shutting_down' } : report;
  }

  private currentReport(): Promise<ReadinessReport> {
    if (this.latest && Date.now() - this.latest.checkedAt.getTime() < this.intervalMs) return Promise.resolve(this.latest);
    this.inFlight ??= this.runChecks().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runChecks(): Promise<ReadinessReport> {
    const checks: Record<ComponentName, () => Promise<ComponentHealth> | ComponentHealth> = {
      database: () => this.database.check(),
      redis: () => this.redis.check(),
      memory: () => this.memory.check(),
      cpu: () => this.cpu.check(),
      sanctions_list: () => this.sanctionsList.check(),
    };
    const result = await this.health
      .check(COMPONENTS.map((name) => () => this.timed(name, checks[name])))
      .catch((error: unknown) => unavailableResult(error));
    const components = Object.fromEntries(
      COMPONENTS.map((name) => [name, (result.details[name] as unknown as { component: ComponentHealth }).component]),
    ) as Record<ComponentName, ComponentHealth>;
    const report: ReadinessReport = { status: overallStatusOf(components), checkedAt: new Date(), components };
    this.logTransitions(report);
    this.latest = report;
    return report;
  }

  /** Runs one check as a Terminus indicator, recording its duration and status metrics. */
  private async timed(name: ComponentName, check: () => Promise<ComponentHealth> | ComponentHealth): Promise<HealthIndicatorResult> {
    const stopTimer = this.durationHistogram.startTimer({ component: name });
    const component = await check();
    stopTimer();
    this.statusGauge.set({ component: name }, STATUS_GAUGE_VALUE[component.status]);
    const session = this.indicators.check(name);
    const status = TERMINUS_STATUS[component.status];
    if (status === 'up') return session.up({ component });
    return status === 'degraded' ? session.degraded({ component }) : session.down({ component });
  }

  private logTransitions(report: ReadinessReport): void {
    for (const name of COMPONENTS) {
      const before = this.latest?.components[name].status ?? 'healthy';
      const after = report.components[name];
      if (before === after.status) continue;
      const message = `${name} ${before} → ${after.status}${after.error ? `: ${after.error}` : ''}`;
      if (after.status === 'healthy' || after.status === 'not_configured') this.logger.log(message);
      else this.logger.warn(message);
    }
  }
}

/** Terminus throws 503 with the full result when a component is down; we still want the details. */
function unavailableResult(error: unknown): HealthCheckResult {
  if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
  throw error;
}
