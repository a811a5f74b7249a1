import type { Deployment } from 'kubernetes-types/apps/v1';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { named, ofKind, REPO_ROOT, render, VALUES_MATRIX, type RenderedObject } from './support/chart';

/**
 * The chart ships the PodMonitor, PrometheusRule and dashboard of monitoring/, so the job label the
 * rules select exists wherever the chart is installed. They are compared with monitoring/ here; the
 * chart's copies under files/ are written by `npm run monitoring:build`, whose check
 * (`npm run monitoring:check`) fails when they are stale.
 */
interface PodMonitor extends RenderedObject {
  spec: {
    jobLabel: string;
    podTargetLabels: string[];
    namespaceSelector?: unknown;
    selector: { matchLabels: Record<string, string> };
    podMetricsEndpoints: Array<{ port: string; path: string; interval: string; scrapeTimeout: string }>;
  };
}
interface PrometheusRule extends RenderedObject {
  spec: { groups: Array<{ name: string; rules: Array<{ expr: string }> }> };
}

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const standalonePodMonitor = parse(read('monitoring/kubernetes/podmonitor.yaml')) as PodMonitor;
const rulesSource = parse(read('monitoring/prometheus/compliance-service.rules.yaml')) as { groups: unknown[] };
const DASHBOARD_FILES = ['compliance-service.dashboard.json', 'compliance-operations.dashboard.json'];
const podLabels = (deployment: Deployment) => deployment.spec!.template.metadata!.labels!;
/** What is scraped and how, without where (namespaces, selector). */
const scrapeOf = ({ jobLabel, podTargetLabels, podMetricsEndpoints }: PodMonitor['spec']) => ({ jobLabel, podTargetLabels, podMetricsEndpoints });

describe.each(VALUES_MATRIX)('$name profile is scraped as job="compliance-service"', ({ args }) => {
  const objects = render(args);
  const [podMonitor] = ofKind<PodMonitor>(objects, 'PodMonitor');

  it('has a PodMonitor scraping like monitoring/kubernetes/podmonitor.yaml, in its own namespace', () => {
    expect(podMonitor).toBeDefined();
    expect(scrapeOf(podMonitor.spec)).toEqual(scrapeOf(standalonePodMonitor.spec));
    expect(podMonitor.spec.namespaceSelector).toBeUndefined();
    expect(podMonitor.spec.selector.matchLabels).toMatchObject(standalonePodMonitor.spec.selector.matchLabels);
  });

  it('selects every Deployment of the release (canary, both colours) through a port that exists', () => {
    for (const deployment of ofKind<Deployment>(objects, 'Deployment')) {
      const labels = podLabels(deployment);
      expect(labels).toMatchObject(podMonitor.spec.selector.matchLabels);
      // jobLabel names the pod label whose value becomes `job`: the value the rules select.
      expect(labels[podMonitor.spec.jobLabel]).toBe('compliance-service');
      const ports = deployment.spec!.template.spec!.containers.flatMap((container) => (container.ports ?? []).map((port) => port.name));
      for (const endpoint of podMonitor.spec.podMetricsEndpoints) expect(ports).toContain(endpoint.port);
    }
  });

  it('does not also scrape through prometheus.io annotations (every series would appear twice)', () => {
    for (const deployment of ofKind<Deployment>(objects, 'Deployment')) {
      expect(deployment.spec!.template.metadata!.annotations ?? {}).not.toHaveProperty(['prometheus.io/scrape']);
    }
  });
});

describe('rules and dashboard in the chart', () => {
  const production = render(VALUES_MATRIX[2].args);
  const staging = render(VALUES_MATRIX[1].args);

  it('production installs the PrometheusRule with exactly the rules of monitoring/prometheus', () => {
    const rule = named<PrometheusRule>(production, 'PrometheusRule', 'compliance-service');
    expect(rule.spec.groups).toEqual(rulesSource.groups);
    const generated = parse(read('monitoring/kubernetes/prometheus-rule.yaml')) as PrometheusRule;
    expect(rule.spec).toEqual(generated.spec);
  });

  it('the rules select the job the PodMonitor sets', () => {
    const rule = named<PrometheusRule>(production, 'PrometheusRule', 'compliance-service');
    const jobs = new Set(rule.spec.groups.flatMap((group) => group.rules).flatMap((r) => [...r.expr.matchAll(/job="([^"]+)"/g)].map((match) => match[1])));
    expect([...jobs]).toEqual(['compliance-service']);
  });

  it('production installs the dashboards ConfigMap for the Grafana sidecar, each equal to monitoring/grafana', () => {
    const configMap = named<ConfigMap>(production, 'ConfigMap', 'compliance-service-dashboard');
    expect(configMap.metadata!.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(Object.keys(configMap.data!).sort()).toEqual([...DASHBOARD_FILES].sort());
    for (const file of DASHBOARD_FILES) expect(JSON.parse(configMap.data![file]!)).toEqual(JSON.parse(read(`monitoring/grafana/${file}`)));
  });

  it('staging leaves rules and dashboard to the production release (one copy per Prometheus)', () => {
    expect(ofKind(staging, 'PrometheusRule')).toEqual([]);
    expect(ofKind<RenderedObject>(staging, 'ConfigMap').map((object) => object.metadata.name)).toEqual(['compliance-service']);
    expect(ofKind(staging, 'PodMonitor')).toHaveLength(1);
  });

  it('each object can be turned off, and the PodMonitor takes the labels a Prometheus selects on', () => {
    const off = render(['--set', 'monitoring.podMonitor.enabled=false', '--set', 'monitoring.prometheusRule.enabled=false', '--set', 'monitoring.dashboard.enabled=false']);
    expect(off.filter((object) => ['PodMonitor', 'PrometheusRule'].includes(object.kind) || object.metadata.name.endsWith('-dashboard'))).toEqual([]);
    const annotated = named<Deployment>(render(['--set', 'metrics.scrape=true']), 'Deployment', 'compliance-service');
    expect(annotated.spec!.template.metadata!.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3008', 'prometheus.io/path': '/metrics' });
    const labelled = render(['--set', 'monitoring.podMonitor.labels.release=kube-prometheus-stack']);
    expect(named<PodMonitor>(labelled, 'PodMonitor', 'compliance-service').metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
  });
});
