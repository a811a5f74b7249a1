/** One component of readiness, as the deployment guide shows it. */
export type ComponentStatus = 'healthy' | 'degraded' | 'unhealthy' | 'not_configured';
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy' | 'shutting_down';

export interface ComponentHealth {
  status: ComponentStatus;
  /** Round-trip time of the check (database, redis). */
  latencyMs?: number;
  /** Memory used as a percentage of the container limit. */
  usedPercent?: number;
  /** CPU time used per CPU the container may use, over the last interval. */
  load?: number;
  eventLoopDelayMs?: number;
  /** Why the component is not healthy; never contains secrets or connection strings. */
  error?: string;
}

export const COMPONENTS = ['database', 'redis', 'memory', 'cpu', 'sanctions_list'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface ReadinessReport {
  status: OverallStatus;
  checkedAt: Date;
  components: Record<ComponentName, ComponentHealth>;
}

/** Gauge values of `health_component_status`: dashboards plot 1 healthy, 0.5 degraded, 0 unhealthy. */
export const STATUS_GAUGE_VALUE: Record<ComponentStatus, number> = {
  healthy: 1,
  not_configured: 1,
  degraded: 0.5,
  unhealthy: 0,
};

/** Any unhealthy component makes the pod unready; any degraded one makes it degraded but ready. */
export function overallStatusOf(components: Record<ComponentName, ComponentHealth>): OverallStatus {
  const statuses = Object.values(components).map((component) => component.status);
  if (statuses.includes('unhealthy')) return 'unhealthy';
  if (statuses.includes('degraded')) return 'degraded';
  return 'healthy';
}
