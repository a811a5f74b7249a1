import { render } from './support/chart';
import { FakePrometheus, runScript, templateArgsOf, type ClusterState } from './support/cluster-stubs';

const NAMESPACE = ['-n', 'tickettoken-prod'];
const canaryAt = (weight: number, minutesAgo: number): ClusterState => ({
  values: { image: { tag: '1.3.0' }, canary: { enabled: true, weight, image: { tag: '1.4.0' } }, activeColor: '' },
  updatedMinutesAgo: minutesAgo,
});
const upgrades = (calls: string[]) => calls.filter((call) => call.startsWith('helm upgrade'));

/** Every `helm upgrade` a script ran, replayed against the real chart: the keys and values it sets are valid. */
function expectRenderable(calls: string[]): void {
  for (const call of upgrades(calls)) {
    expect(() => render(templateArgsOf(call))).not.toThrow();
  }
}

describe('scripts/canary-step.sh', () => {
  const prometheus = new FakePrometheus();
  let url: string;
  beforeAll(async () => {
    url = await prometheus.start();
  });
  afterAll(() => prometheus.stop());
  beforeEach(() => {
    prometheus.queries.length = 0;
    prometheus.answers = { requestsPerSecond: '12.5', errorRate: '0.001', p99: '0.12' };
  });

  it('starts a canary at 5% with its own version', async () => {
    const run = await runScript('canary-step.sh', [...NAMESPACE, '--start', '1.4.0', '--values', 'helm/compliance-service/values-production.yaml'], canaryAt(0, 0), url);
    expect(run.code).toBe(0);
    expect(upgrades(run.calls)).toEqual([expect.stringContaining('--set canary.enabled=true --set canary.weight=5 --set canary.image.tag=1.4.0')]);
    expectRenderable(run.calls);
  });

  it.each([
    [5, 31, 25],
    [25, 61, 50],
    [50, 121, 100],
  ])('moves a healthy canary from %i%% (after %i min) to %i%%', async (weight, minutes, next) => {
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(weight, minutes), url);
    expect(run.stderr).toContain('error rate 0.001');
    expect(run.code).toBe(0);
    expect(upgrades(run.calls)).toEqual([expect.stringMatching(new RegExp(`--reuse-values --set canary\\.weight=${next} --wait`))]);
    expectRenderable(run.calls);
  });

  it('queries only the canary pods of its namespace, over the window', async () => {
    await runScript('canary-step.sh', NAMESPACE, canaryAt(5, 31), url);
    expect(prometheus.queries).toHaveLength(3);
    for (const query of prometheus.queries) expect(query).toContain('namespace="tickettoken-prod",track="canary"');
    expect(prometheus.queries[2]).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\(http_request_duration_seconds_bucket\{.*\}\[10m\]\)\)\)$/);
  });

  it('waits out the guide soak time: 30 min at 5%', async () => {
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(5, 12), url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('wants 30 min');
    expect(upgrades(run.calls)).toEqual([]);
  });

  it.each([
    ['an error rate of 2%', { errorRate: '0.02' }, /error rate 0\.02 is at or above 0\.01/],
    ['a p99 of 800 ms', { p99: '0.8' }, /p99 latency 0\.8 s is at or above 0\.5 s/],
  ])('rolls back on %s: all traffic to stable, exit 1', async (_, answer, reason) => {
    prometheus.answers = { ...prometheus.answers, ...answer };
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(25, 70), url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(reason);
    expect(upgrades(run.calls)).toEqual([expect.stringContaining('--reuse-values --set canary.enabled=false --set canary.weight=0')]);
    expectRenderable(run.calls);
  });

  it('runs the smoke suite against the canary Service after the Prometheus gate, before moving on', async () => {
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(25, 61), url);
    expect(run.code).toBe(0);
    const smoke = run.calls.indexOf('smoke --base-url http://127.0.0.1:43008');
    expect(run.calls[smoke - 1]).toBe('kubectl port-forward --namespace tickettoken-prod service/compliance-service-canary :3008');
    expect(smoke).toBeLessThan(run.calls.findIndex((call) => call.startsWith('helm upgrade')));
  });

  it('rolls back a canary that fails the smoke suite, though Prometheus finds it healthy', async () => {
    const run = await runScript('canary-step.sh', NAMESPACE, { ...canaryAt(50, 121), smokeExit: 1 }, url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ROLLBACK: the canary fails the smoke suite');
    expect(upgrades(run.calls)).toEqual([expect.stringContaining('--reuse-values --set canary.enabled=false --set canary.weight=0')]);
  });

  it('changes nothing when the smoke suite cannot run (exit 3)', async () => {
    const run = await runScript('canary-step.sh', NAMESPACE, { ...canaryAt(5, 31), smokeExit: 2 }, url);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot run the smoke suite against the canary (exit 2)');
    expect(upgrades(run.calls)).toEqual([]);
  });

  it('refuses to judge a canary without traffic (exit 3, no change)', async () => {
    prometheus.answers = { ...prometheus.answers, requestsPerSecond: null };
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(5, 31), url);
    expect(run.code).toBe(3);
    expect(upgrades(run.calls)).toEqual([]);
  });

  it('promotes at 100%: the stable Deployment takes the version, then the canary goes', async () => {
    const run = await runScript('canary-step.sh', NAMESPACE, canaryAt(100, 16), url);
    expect(run.code).toBe(0);
    const calls = upgrades(run.calls);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain('--set image.tag=1.4.0');
    expect(calls[1]).toContain('--set canary.enabled=false --set canary.weight=0 --set canary.image.tag=');
    expectRenderable(run.calls);
  });

  it('aborts on request without asking Prometheus', async () => {
    const run = await runScript('canary-step.sh', [...NAMESPACE, '--abort'], canaryAt(50, 5), url);
    expect(run.code).toBe(1);
    expect(prometheus.queries).toEqual([]);
    expect(upgrades(run.calls)).toEqual([expect.stringContaining('--set canary.enabled=false')]);
  });
});

describe('scripts/blue-green-switch.sh', () => {
  const blueActive = (extra: Partial<ClusterState> = {}): ClusterState => ({
    values: { activeColor: 'blue', blueGreen: { blue: { tag: '1.3.0', scaledDown: false }, green: { tag: '1.4.0', scaledDown: false } } },
    serviceColour: 'green',
    ...extra,
  });

  it('switches to green after its rollout and the smoke suite through the preview Service, and checks the Service selector', async () => {
    const run = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--to', 'green'], blueActive(), '');
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'helm get values compliance-service --namespace tickettoken-prod --all --output json',
      'kubectl rollout status deployment/compliance-service-green --namespace tickettoken-prod --timeout 5m',
      'kubectl port-forward --namespace tickettoken-prod service/compliance-service-preview :3008',
      'smoke --base-url http://127.0.0.1:43008',
      'helm upgrade compliance-service ./helm/compliance-service --namespace tickettoken-prod --reuse-values --set activeColor=green --wait --timeout 10m',
      'kubectl get service compliance-service --namespace tickettoken-prod -o jsonpath={.spec.selector.color}',
    ]);
    expect(run.stderr).toContain('switch back: scripts/blue-green-switch.sh -n tickettoken-prod --to blue');
    expectRenderable(run.calls);
  });

  it.each([
    ['green has not finished rolling out', { rolloutFails: true }],
    ['green fails the smoke suite', { smokeExit: 1 }],
    ['the smoke suite cannot run', { smokeExit: 2 }],
  ])('leaves traffic on blue when %s', async (_, problem) => {
    const run = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--to', 'green'], blueActive(problem), '');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('traffic stays on blue');
    expect(upgrades(run.calls)).toEqual([]);
  });

  it('does nothing when the colour is already active', async () => {
    const run = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--to', 'blue'], blueActive(), '');
    expect(run.code).toBe(0);
    expect(upgrades(run.calls)).toEqual([]);
  });

  it('scales down the inactive colour after the rollback window, never the active one', async () => {
    const inactive = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--scale-down', 'green'], blueActive(), '');
    expect(inactive.code).toBe(0);
    expect(upgrades(inactive.calls)).toEqual([expect.stringContaining('--set blueGreen.green.scaledDown=true')]);
    expectRenderable(inactive.calls.map((call) => `${call} --set activeColor=blue`));
    const active = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--scale-down', 'blue'], blueActive(), '');
    expect(active.code).toBe(1);
    expect(upgrades(active.calls)).toEqual([]);
  });

  it('refuses a release that is not in blue-green mode', async () => {
    const run = await runScript('blue-green-switch.sh', ['-n', 'tickettoken-prod', '--to', 'green'], { values: { activeColor: '' } }, '');
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('not in blue-green mode');
  });
});

describe('scripts/smoke-through-service.sh', () => {
  const PREVIEW = ['-n', 'tickettoken-prod', 'service/compliance-service-preview'];

  it.each([0, 1, 2])('runs the smoke suite through a port-forward to the Service and exits with its code (%i)', async (smokeExit) => {
    const run = await runScript('smoke-through-service.sh', PREVIEW, { values: {}, smokeExit }, '');
    expect(run.code).toBe(smokeExit);
    expect(run.calls).toEqual([
      'kubectl port-forward --namespace tickettoken-prod service/compliance-service-preview :3008',
      'smoke --base-url http://127.0.0.1:43008',
    ]);
  });

  it('exits 3 without running the suite when the port-forward fails, with kubectl\'s reason', async () => {
    const run = await runScript('smoke-through-service.sh', PREVIEW, { values: {}, portForwardFails: true }, '');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('no port-forward to service/compliance-service-preview in tickettoken-prod: error: no endpoints available');
    expect(run.calls.filter((call) => call.startsWith('smoke'))).toEqual([]);
  });
});
