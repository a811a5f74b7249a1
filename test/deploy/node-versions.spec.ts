import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/chart';

// npm's own range logic. semver is in the tree through many packages (npm's range rules are its);
// required rather than imported because the project declares no types for it.
const { satisfies, subset } = require('semver') as {
  satisfies(version: string, range: string): boolean;
  subset(sub: string, dom: string): boolean;
};

/**
 * `engines.node` states the Node versions the project supports: those every locked dependency
 * accepts, so `npm ci` on a supported Node prints no EBADENGINE warning. Node 20 (end of life) still
 * installs, since npm only warns unless engine-strict is set, and still runs the suite here.
 */
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
const supported = manifest.engines.node;

describe('supported Node versions (package.json engines)', () => {
  it('are accepted by every locked package, so npm ci on them warns about none', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !subset(supported, range) ? [`${path}: ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('match the root entry of package-lock.json (npm ci checks the two agree)', () => {
    expect(lock.packages[''].engines).toEqual(manifest.engines);
  });

  it('include the Node LTS of the container image and of CI (scripts/node-lts.sh)', () => {
    const major = /^NODE_LTS_MAJOR=(\d+)$/m.exec(readFileSync(join(REPO_ROOT, 'scripts', 'node-lts.sh'), 'utf8'))![1];
    expect(satisfies(`${major}.0.0`, supported)).toBe(true);
  });

  it('exclude Node 20, which is past end of life', () => {
    expect(satisfies('20.19.0', supported)).toBe(false);
  });

  it('are what the README states', () => {
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(`\`${supported}\``);
  });

  it('leave npm ci on Node 20 a warning: no .npmrc turns on engine-strict', () => {
    const npmrc = join(REPO_ROOT, '.npmrc');
    expect(existsSync(npmrc) ? readFileSync(npmrc, 'utf8') : '').not.toMatch(/engine-strict\s*=\s*true/);
  });
});
