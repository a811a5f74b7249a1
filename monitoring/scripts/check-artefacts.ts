/**
 * Static checks of monitoring/, run by `npm run monitoring:check` before anything starts:
 * generated files in sync with their sources; every alert with a severity, a summary, a
 * description and a runbook link to an existing RUNBOOK.md section; every alert's promtool tests
 * on both sides of its threshold; cluster panels tested by promtool exactly as the dashboard has
 * them; the PodMonitor able to find the chart's pods. Prints each failure and exits 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTER_METRICS, CLUSTER_TEST_VALUES, metricsIn, panelQueries, substitute } from './dashboard-queries';
import { DASHBOARDS, generatedFiles, RULES_FILE } from './generated-files';

const ROOT = process.cwd();
const RUNBOOK = 'docs/RUNBOOK.md';
const RUNBOOK_URL = /^https:\/\/github\.com\/tickettoken\/compliance-service\/blob\/main\/docs\/RUNBOOK\.md#([a-z0-9-]+)$/;
const SEVERITIES = ['critical', 'warning'];

interface AlertRule {
  alert: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleTests {
  tests: Array<{
    alert_rule_test?: Array<{ alertname: string; exp_alerts: Array<{ exp_labels?: Record<string, string> }> }>;
    promql_expr_test?: Array<{ expr: string }>;
  }>;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const problems: string[] = [];

function checkGeneratedFiles(): void {
  for (const { path, content } of generatedFiles(ROOT)) {
    let committed: string | undefined;
    try {
      committed = read(path);
    } catch {
      committed = undefined;
    }
    if (committed !== content) problems.push(`${path} is not what its sources generate: run npm run monitoring:build`);
  }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function runbookAnchors(): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of read(RUNBOOK).matchAll(/^#{1,6} (.+)$/gm)) {
    anchors.add((heading as string).trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-'));
  }
  return anchors;
}

function alertRules(): AlertRule[] {
  const rules = parse(read(RULES_FILE)) as { groups: Array<{ rules: Array<Partial<AlertRule>> }> };
  return rules.groups.flatMap((group) => group.rules).filter((rule): rule is AlertRule => rule.alert !== undefined);
}

function checkAlertAnnotations(alerts: AlertRule[]): void {
  const anchors = runbookAnchors();
  for (const { alert, labels, annotations } of alerts) {
    if (!SEVERITIES.includes(labels?.severity ?? '')) problems.push(`${alert}: severity must be one of ${SEVERITIES.join(', ')}`);
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!annotations?.[key]) problems.push(`${alert}: no ${key} annotation`);
    }
    const anchor = RUNBOOK_URL.exec(annotations?.runbook_url ?? '')?.[1];
    if (anchor === undefined) problems.push(`${alert}: runbook_url must point at a section of ${RUNBOOK} on main`);
    else if (!anchors.has(anchor)) problems.push(`${alert}: ${RUNBOOK} has no section #${anchor}`);
  }
}

/** For each alert and severity: a test where it fires, and a test of the same alert where it does not. */
function checkAlertTestsOnBothSides(alerts: AlertRule[]): void {
  const tests = (parse(read('monitoring/prometheus/compliance-service.rules.test.yaml')) as RuleTests).tests.flatMap((test) => test.alert_rule_test ?? []);
  for (const { alert, labels } of alerts) {
    const severity = labels?.severity;
    const cases = tests.filter((test) => test.alertname === alert);
    const fires = cases.some((test) => test.exp_alerts.some((expected) => expected.exp_labels?.severity === severity));
    const quiet = cases.some((test) => !test.exp_alerts.some((expected) => expected.exp_labels?.severity === severity));
    if (!fires) problems.push(`${alert} (${severity}): no promtool test where it fires`);
    if (!quiet) problems.push(`${alert} (${severity}): no promtool test where it stays quiet`);
  }
}

function checkClusterPanelsTested(): void {
  const tested = new Set(
    (parse(read('monitoring/prometheus/dashboard.test.yaml')) as RuleTests).tests.flatMap((test) => (test.promql_expr_test ?? []).map((expression) => expression.expr)),
  );
  for (const { file, json } of DASHBOARDS) {
    for (const { where, expr } of panelQueries(json)) {
      if (metricsIn(expr, CLUSTER_METRICS).length === 0) continue;
      const written = substitute(expr, CLUSTER_TEST_VALUES);
      if (!tested.has(written)) problems.push(`${file} ${where}: monitoring/prometheus/dashboard.test.yaml has no promql_expr_test of\n    ${written}`);
    }
  }
}

/** The PodMonitor's selector, job label and port must match the pods every rendered manifest defines. */
function checkPodMonitor(): void {
  const podMonitor = parse(read('monitoring/kubernetes/podmonitor.yaml')) as {
    spec: { jobLabel: string; selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: Array<{ port: string; path: string }> };
  };
  const { jobLabel, selector, podMetricsEndpoints } = podMonitor.spec;
  const manifests = readdirSync(join(ROOT, 'k8s'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('deployment.yaml'));
  for (const file of manifests) {
    for (const document of parseAllDocuments(read(join('k8s', file)))) {
      const object = document.toJS() as { kind?: string; metadata?: { name: string }; spec?: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ ports?: Array<{ name?: string }> }> } } } };
      if (object?.kind !== 'Deployment' || object.spec === undefined) continue;
      const { labels } = object.spec.template.metadata;
      const where = `k8s/${file} Deployment ${object.metadata?.name}`;
      if (!Object.entries(selector.matchLabels).every(([key, value]) => labels[key] === value)) problems.push(`${where}: pods do not match the PodMonitor selector`);
      if (labels[jobLabel] !== 'compliance-service') problems.push(`${where}: pod label ${jobLabel} (the job label) is not compliance-service`);
      const ports = object.spec.template.spec.containers.flatMap((container) => (container.ports ?? []).map((port) => port.name));
      for (const endpoint of podMetricsEndpoints) {
        if (!ports.includes(endpoint.port)) problems.push(`${where}: no container port named ${endpoint.port}`);
      }
    }
  }
}

checkGeneratedFiles();
const alerts = alertRules();
checkAlertAnnotations(alerts);
checkAlertTestsOnBothSides(alerts);
checkClusterPanelsTested();
checkPodMonitor();

if (problems.length > 0) {
  process.stderr.write(`monitoring artefacts: ${problems.length} problem(s)\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`monitoring artefacts: ${alerts.length} alert rules with runbook sections and two-sided promtool tests; generated files in sync; PodMonitor matches the chart\n`);
