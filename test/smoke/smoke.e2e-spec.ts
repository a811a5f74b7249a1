import { mintToken } from '../../src/auth/token-minter';
import { DEFAULT_SMOKE_TENANT_ID } from '../../src/config/env.schema';
import { type CliResult, runCompiled } from '../helpers/cli';
import { eventually } from '../helpers/eventually';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { ServiceProcess } from '../helpers/service-process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { TEST_SECRETS } from '../helpers/test-app';

const CHECKS = ['liveness', 'readiness', 'metrics', 'screening MATCH', 'screening CLEAR', 'payout eligibility', 'audit verify'];

/** `npm run smoke` (the compiled CLI, as the deploy scripts run it): exit code, stdout, stderr. */
const runSmoke = (baseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCompiled('smoke/smoke.cli.js', ['--base-url', baseUrl], { JWT_SECRET: TEST_SECRETS.JWT_SECRET, LOG_LEVEL: 'warn', ...env });

/** The table row of `check`, e.g. `readiness  FAIL  answered 503: database unhealthy …  4 ms`. */
const rowOf = (stdout: string, check: string) => stdout.split('\n').find((line) => new RegExp(`^${check} {2,}(PASS|FAIL) `).test(line));

describe('npm run smoke against a running service', () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    database = await sanctionsDatabase('smoke');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(`import: ${imported.stderr}`);
    const upstream = new URL(database.url);
    proxy = await TcpProxy.start(upstream.hostname, Number(upstream.port || 5432));
    const throughProxy = new URL(database.url);
    throughProxy.host = proxy.address;
    ({ service, base } = await ServiceProcess.startOnTestDatabase({ DATABASE_URL: throughProxy.toString(), SHUTDOWN_DRAIN_MS: '0', HEALTH_CHECK_INTERVAL_MS: '200' }));
  }, 90_000);

  afterAll(async () => {
    service?.kill('SIGTERM');
    await service?.exited;
    await proxy?.stop();
    await database?.drop();
  });

  it('passes every check against the freshly started service with the list imported, and prints the table', async () => {
    const run = await runSmoke(base);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^check +result +latency$/);
    for (const check of CHECKS) expect(rowOf(run.stdout, check)).toMatch(/ PASS .* \d+ ms$/);
    expect(rowOf(run.stdout, 'screening MATCH')).toContain('MATCH OFAC-SDN 306');
    expect(rowOf(run.stdout, 'payout eligibility')).toContain('20 calls, eligible false');
    expect(lines.at(-1)).toBe(`smoke: all ${CHECKS.length} checks passed against ${base}`);
  }, 60_000);

  it('refuses a SMOKE_TOKEN of another tenant before calling anything (exit 2)', async () => {
    const token = await mintToken({ issuer: 'ticketing-platform', audience: 'compliance-service' }, TEST_SECRETS.JWT_SECRET, {
      subject: 'smoke-suite',
      tenantId: '11111111-1111-4111-8111-111111111111',
      roles: ['compliance_manager'],
    });
    const run = await runSmoke(base, { SMOKE_TOKEN: token });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`SMOKE_TOKEN is for tenant 11111111-1111-4111-8111-111111111111, not the smoke tenant ${DEFAULT_SMOKE_TENANT_ID}`);
  }, 30_000);

  it('fails when the database is cut, naming each failed check and why, with exit 1', async () => {
    await proxy.cut();
    await eventually(async () => ((await fetch(`${base}/health/ready`)).status === 503 ? true : undefined), 15_000, 'readiness 503 after the cut');
    const run = await runSmoke(base);
    expect(run.code).toBe(1);
    const failed = ['readiness', 'screening MATCH', 'screening CLEAR', 'payout eligibility', 'audit verify'];
    expect(run.stderr.trim()).toBe(`smoke: FAILED ${failed.length} of ${CHECKS.length} checks against ${base}: ${failed.join(', ')}`);
    expect(rowOf(run.stdout, 'liveness')).toMatch(/ PASS /);
    expect(rowOf(run.stdout, 'metrics')).toMatch(/ PASS /);
    expect(rowOf(run.stdout, 'readiness')).toMatch(/ FAIL +answered 503: .*database unhealthy/);
    for (const check of failed.slice(1)) expect(rowOf(run.stdout, check)).toMatch(/ FAIL +answered 5\d\d, expected 20[01] — [A-Z_.]+ \(request smoke-[0-9a-f-]+\): /);
  }, 60_000);
});
