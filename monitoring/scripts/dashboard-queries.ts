/** What the checks read of a dashboard's JSON. */
export interface DashboardJson {
  templating?: { list?: unknown[] };
  panels?: PanelJson[];
}

interface PanelJson {
  type: string;
  title?: string;
  targets?: Array<{ refId?: string; expr?: string }>;
  /** A collapsed row's panels. */
  panels?: PanelJson[];
}

/** One PromQL expression of a dashboard panel, or the query of a template variable. */
export interface DashboardQuery {
  where: string;
  expr: string;
}

/**
 * Series from Kubernetes' exporters (cAdvisor, kube-state-metrics), absent outside a cluster. Panels
 * on them must parse in the live check; what they compute is tested by promtool against series
 * shaped like the exporters' (prometheus/dashboard.test.yaml, with CLUSTER_TEST_VALUES).
 */
export const CLUSTER_METRICS = ['container_memory_working_set_bytes', 'kube_pod_container_resource_limits', 'kube_pod_container_status_restarts_total'];

/** How the cluster panels' expressions are written in prometheus/dashboard.test.yaml. */
export const CLUSTER_TEST_VALUES = { namespace: 'prod', pod: '.*', __rate_interval: '1m' };

export function panelQueries(dashboard: DashboardJson): DashboardQuery[] {
  const panels = (dashboard.panels ?? []).flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
  return panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      if (target.expr === undefined) throw new Error(`panel "${panel.title}" ${target.refId}: no PromQL expression`);
      return { where: `panel "${panel.title}" ${target.refId}`, expr: target.expr };
    }),
  );
}

/** The `label_values(selector, label)` queries of the query variables, in dependency order. */
export function variableQueries(dashboard: DashboardJson): Array<{ name: string; selector: string; label: string }> {
  return (dashboard.templating?.list ?? []).flatMap((variable) => {
    const { name, type, definition } = variable as { name: string; type: string; definition?: string };
    if (type !== 'query' || definition === undefined) return [];
    const match = /^label_values\((.*),\s*(\w+)\)$/.exec(definition);
    if (!match) throw new Error(`variable ${name}: unsupported query ${definition}`);
    return [{ name, selector: match[1] as string, label: match[2] as string }];
  });
}

/** Grafana's substitution of `$name`, `${name}` and `$__rate_interval`. */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${whole} in ${expr}`);
    return value;
  });
}

export function metricsIn(expr: string, names: string[]): string[] {
  return names.filter((name) => new RegExp(`\\b${name}\\b`).test(expr));
}
