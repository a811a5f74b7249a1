import type { ComponentHealth, ComponentName, OverallStatus, ReadinessReport } from './component-health';

export const HEALTH_JSON = 'application/health+json';

export interface ServiceIdentity {
  version: string;
  uptimeSeconds: number;
}

/** The deployment guide's response; components only with DETAILED_HEALTH_CHECKS on. */
export function toGuideBody(report: ReadinessReport, identity: ServiceIdentity, detailed: boolean): Record<string, unknown> {
  const base = { status: report.status, timestamp: report.checkedAt.toISOString() };
  if (!detailed) return base;
  const components = Object.fromEntries(
    Object.entries(report.components).map(([name, component]) => [name, guideComponent(component)]),
  );
  return { ...base, version: identity.version, uptime: identity.uptimeSeconds, components };
}

function guideComponent(component: ComponentHealth): Record<string, string> {
  const view: Record<string, string> = { status: component.status };
  if (component.latencyMs !== undefined) view.latency = `${component.latencyMs}ms`;
  if (component.usedPercent !== undefined) view.used = `${Math.round(component.usedPercent)}%`;
  if (component.load !== undefined) view.load = String(component.load);
  if (component.error !== undefined) view.error = component.error;
  return view;
}

const IETF_STATUS: Record<OverallStatus | ComponentHealth['status'], 'pass' | 'warn' | 'fail'> = {
  healthy: 'pass',
  not_configured: 'pass',
  degraded: 'warn',
  unhealthy: 'fail',
  shutting_down: 'fail',
};

interface IetfCheck {
  componentType: string;
  observedValue?: number;
  observedUnit?: string;
  status: 'pass' | 'warn' | 'fail';
  time: string;
  output?: string;
}

/** The IETF health-check draft (draft-inadarei-api-health-check) form of the same facts. */
export function toHealthJson(report: ReadinessReport, identity: ServiceIdentity, detailed: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status: IETF_STATUS[report.status],
    version: identity.version.split('.')[0],
    releaseId: identity.version,
    serviceId: 'compliance-service',
  };
  if (report.status === 'shutting_down') body.output = 'shutting down';
  if (!detailed) return body;
  const time = report.checkedAt.toISOString();
  const checks: Record<string, IetfCheck[]> = {};
  for (const [name, component] of Object.entries(report.components) as Array<[ComponentName, ComponentHealth]>) {
    const base = { componentType: COMPONENT_TYPE[name], status: IETF_STATUS[component.status], time, ...(component.error ? { output: component.error } : {}) };
    if (component.latencyMs !== undefined) checks[`${name}:responseTime`] = [{ ...base, observedValue: component.latencyMs, observedUnit: 'ms' }];
    else if (component.usedPercent !== undefined) checks[`${name}:utilization`] = [{ ...base, observedValue: component.usedPercent, observedUnit: 'percent' }];
    else if (component.load !== undefined) checks[`${name}:utilization`] = [{ ...base, observedValue: component.load, observedUnit: 'load' }];
    else checks[`${name}:status`] = [base];
  }
  body.checks = checks;
  return body;
}

const COMPONENT_TYPE: Record<ComponentName, string> = { database: 'datastore', redis: 'datastore', memory: 'system', cpu: 'system', sanctions_list: 'component' };

/** The content type of the deployment guide's bodies. */
export const GUIDE_JSON = 'application/json; charset=utf-8';

/**
 * The liveness answer: the guide's `{status, timestamp}`, or the IETF draft's identity when the
 * client asked for health+json. Serialised here, so both ways a probe is answered send the same
 * bytes (health.routes.ts, liveness.fast-path.ts).
 */
export function livenessAnswer(accept: string | undefined, version: string): { contentType: string; body: string } {
  if (!wantsHealthJson(accept)) return { contentType: GUIDE_JSON, body: JSON.stringify({ status: 'healthy', timestamp: new Date().toISOString() }) };
  return { contentType: HEALTH_JSON, body: JSON.stringify({ status: 'pass', version: version.split('.')[0], releaseId: version, serviceId: 'compliance-service' }) };
}

/** Whether the client asked for application/health+json (any q > 0). */
export function wantsHealthJson(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => {
      const [type, ...params] = part.trim().split(';');
      return type?.trim().toLowerCase() === HEALTH_JSON && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
    });
}
