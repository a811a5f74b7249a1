/**
 * The live half of `npm run monitoring:check` (monitoring/verify.sh starts everything first): two
 * instances of the service, A healthy and B with its database dropped and Redis unreachable, both
 * scraped by a real Prometheus that loads our rules. Sends a bounded mix of 2xx, 4xx and 5xx
 * traffic, then asserts that every dashboard variable and panel expression parses and returns
 * series, every rule is healthy, the induced faults raise exactly the alerts they should, and A
 * did not log its scrapes.
 */
import { readFileSync } from 'node:fs';
import { CLUSTER_METRICS, type DashboardJson, metricsIn, panelQueries, substitute, variableQueries } from './dashboard-queries';
import { DASHBOARDS } from './generated-files';
import { type AlertState, PrometheusApi } from './prometheus-api';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set (monitoring/verify.sh sets it)`);
  return value;
};

const prometheus = new PrometheusApi(env('PROMETHEUS_URL'));
const healthy = env('SERVICE_A_URL');
const broken = env('SERVICE_B_URL');
const NAMESPACE = env('NAMESPACE');
/** A service token for A's screening API (verify.sh mints it with A's JWT_SECRET). */
const SCREENING_TOKEN = env('SCREENING_TOKEN');
/** A listed name (a MATCH against the OFAC fixture A imported) and a clean one. */
const SCREENED_NAMES = ['Ayman al-Zawahiri', 'Blue Note Hall LLC'];
/** Grafana's $__rate_interval for a 2 s scrape interval: at least four scrapes. */
const RATE_INTERVAL = '10s';
/** Bounded traffic: at most this many rounds of five requests, one round every 100 ms. */
const MAX_ROUNDS = 600;

const problems: string[] = [];
const report: string[] = [];

async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const startedAt = Date.now();
  for (;;) {
    const result = await attempt().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() - startedAt > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * 2xx and 4xx from A (an unmatched path, and the flags admin API without a token: a logged route),
 * screenings on A (the Compliance operations panels), 5xx (readiness 503) and 2xx from B, until
 * `stop` resolves or MAX_ROUNDS.
 */
async function sendTraffic(stop: Promise<void>): Promise<Record<string, number>> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const statuses: Record<string, number> = {};
  const send = async (url: string, init?: RequestInit) => {
    const response = await fetch(url, init);
    await response.arrayBuffer();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  };
  for (let round = 0; round < MAX_ROUNDS && !stopped; round += 1) {
    await Promise.all([
      send(`${healthy}/health/ready`),
      send(`${healthy}/api/v1/venues/${round}`),
      send(`${healthy}/admin/flags`),
      send(`${healthy}/api/v1/screenings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SCREENING_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: SCREENED_NAMES[round % SCREENED_NAMES.length] }),
      }),
      send(`${broken}/health/ready`),
      send(`${broken}/health/live`),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return statuses;
}

async function checkVariables(file: string, dashboard: DashboardJson): Promise<Record<string, string>> {
  const values: Record<string, string> = { __rate_interval: RATE_INTERVAL };
  for (const { name, selector, label } of variableQueries(dashboard)) {
    const found = await prometheus.labelValues(label, substitute(selector, values));
    report.push(`${file} variable $${name}: ${found.join(', ') || '(none)'}`);
    if (found.length === 0) problems.push(`${file} variable $${name}: label_values(${selector}, ${label}) returns nothing`);
    // The namespace the check runs in; for pods, "All" (the variable's allValue).
    values[name] = name === 'pod' ? '.*' : NAMESPACE;
  }
  if (values.namespace !== NAMESPACE) problems.push(`${file} variable $namespace: ${NAMESPACE} not offered`);
  return values;
}

/** Every expression parses and returns a series; every panel shows at least one number. */
async function checkPanels(file: string, dashboard: DashboardJson, values: Record<string, string>): Promise<void> {
  const finiteByPanel = new Map<string, boolean>();
  for (const { where: inPanel, expr } of panelQueries(dashboard)) {
    const where = `${file} ${inPanel}`;
    const panel = where.replace(/ [A-Z]$/, '');
    const query = substitute(expr, values);
    const cluster = metricsIn(expr, CLUSTER_METRICS);
    let result;
    try {
      result = await prometheus.query(query);
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (cluster.length > 0) {
      report.push(`${where}: parses; cluster exporters: tested by promtool in dashboard.test.yaml`);
      continue;
    }
    const finite = result.filter((sample) => Number.isFinite(Number(sample.value[1])));
    report.push(`${where}: ${result.length} series, ${finite.length} with a number`);
    if (result.length === 0) problems.push(`${where} returns no series ("No data"):\n    ${query}`);
    finiteByPanel.set(panel, (finiteByPanel.get(panel) ?? false) || finite.length > 0);
  }
  for (const [panel, shows] of finiteByPanel) {
    if (!shows) problems.push(`${panel}: no target returns a number (only NaN)`);
  }
}

async function checkRules(startedAt: number): Promise<void> {
  const expected = readFileSync('monitoring/prometheus/compliance-service.rules.yaml', 'utf8').match(/^\s+- (record|alert): /gm)?.length ?? 0;
  const rules = await eventually('every rule to be evaluated after the traffic started', async () => {
    const all = await prometheus.rules();
    return all.length === expected && all.every((rule) => Date.parse(rule.lastEvaluation) > startedAt) ? all : undefined;
  });
  for (const rule of rules) {
    if (rule.health !== 'ok' || rule.lastError) problems.push(`rule ${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`);
  }
  report.push(`rules: ${rules.length} loaded, ${rules.filter((rule) => rule.health === 'ok').length} healthy`);
}

const isActive = (alerts: AlertState[], name: string, labels: Record<string, string> = {}) =>
  alerts.some((alert) => alert.labels.alertname === name && Object.entries(labels).every(([key, value]) => alert.labels[key] === value));

/** B's faults must raise their alerts (pending or firing); nothing may accuse the healthy pod A. */
async function checkAlerts(): Promise<void> {
  const expected: Array<[string, Record<string, string>]> = [
    ['ComplianceRedisConnectionErrors', { pod: 'compliance-service-b', severity: 'critical' }],
    ['ComplianceDatabaseConnectionFailures', { pod: 'compliance-service-b', severity: 'critical' }],
    ['ComplianceHighErrorRate', { namespace: NAMESPACE, severity: 'critical' }],
    ['ComplianceHighErrorRate', { namespace: NAMESPACE, severity: 'warning' }],
  ];
  const alerts = await eventually('the induced faults to raise their alerts', async () => {
    const active = await prometheus.alerts();
    return expected.every(([name, labels]) => isActive(active, name, labels)) ? active : undefined;
  }).catch(async (error: unknown) => {
    const active = await prometheus.alerts();
    for (const [name, labels] of expected) {
      if (!isActive(active, name, labels)) problems.push(`alert ${name} ${JSON.stringify(labels)} is not active: ${error instanceof Error ? error.message : String(error)}`);
    }
    return active;
  });
  for (const alert of alerts) {
    if (alert.labels.pod === 'compliance-service-a' || alert.labels.alertname === 'ComplianceServiceDown') {
      problems.push(`alert ${alert.labels.alertname} is ${alert.state} for ${JSON.stringify(alert.labels)}`);
    }
  }
  report.push(`alerts: ${alerts.map((alert) => `${alert.labels.alertname}{${alert.labels.severity}${alert.labels.pod ? `, ${alert.labels.pod}` : ''}} ${alert.state}`).join('; ')}`);
}

/** A logs request lines (its admin API calls prove it), but not one for the scrapes Prometheus made. */
async function checkScrapesNotLogged(): Promise<void> {
  const [scrapes] = await prometheus.query(`sum(http_requests_total{job="compliance-service", pod="compliance-service-a", route="/metrics"})`);
  const lines = readFileSync(env('SERVICE_A_LOG'), 'utf8').split('\n');
  const scrapeLines = lines.filter((line) => line.includes('"/metrics"'));
  const requestLines = lines.filter((line) => line.includes('"path":"/admin/flags"'));
  report.push(`logging: ${Number(scrapes?.value[1] ?? 0)} scrapes of A, ${scrapeLines.length} logged; ${requestLines.length} admin API requests logged`);
  if (scrapeLines.length > 0) problems.push(`A logged its scrapes:\n    ${scrapeLines[0]}`);
  // Request logging belongs to logging.module.ts; without it this check cannot tell "not logged" from "no logging".
  if (requestLines.length === 0) report.push('WARNING: A logged no request at all (request logging is off or broken), so "scrapes not logged" proves little');
  if (Number(scrapes?.value[1] ?? 0) < 3) problems.push('Prometheus scraped A fewer than 3 times');
}

async function main(): Promise<void> {
  await eventually('Prometheus to scrape both instances', async () => {
    const up = await prometheus.query('up{job="compliance-service"} == 1');
    return up.length === 2 ? up : undefined;
  });
  const startedAt = Date.now();
  let stopTraffic: () => void = () => undefined;
  const traffic = sendTraffic(new Promise((resolve) => (stopTraffic = resolve)));
  try {
    // Rates need two scrapes inside their window; the error ratio needs B's 503s in it.
    await eventually('the error rate to include the 5xx', async () => {
      const [ratio] = await prometheus.query(`namespace_job:http_request_errors:ratio_rate5m{namespace="${NAMESPACE}"} > 0`);
      return ratio;
    });
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    for (const { file, json } of DASHBOARDS) await checkPanels(file, json, await checkVariables(file, json));
    await checkRules(startedAt);
    await checkAlerts();
    await checkScrapesNotLogged();
  } finally {
    stopTraffic();
    const statuses = await traffic;
    report.push(`traffic: ${Object.entries(statuses).map(([status, count]) => `${count} × ${status}`).join(', ')}`);
    for (const [range, name] of [[/^2/, '2xx'], [/^4/, '4xx'], [/^5/, '5xx']] as const) {
      if (!Object.keys(statuses).some((status) => range.test(status))) problems.push(`the traffic had no ${name} response`);
    }
  }
  process.stdout.write(`${report.map((line) => `  ${line}`).join('\n')}\n`);
  if (problems.length > 0) {
    process.stderr.write(`\nlive check: ${problems.length} problem(s)\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('live check: every dashboard expression parses and returns series, every rule is healthy, the induced faults raise their alerts\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`live check failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
