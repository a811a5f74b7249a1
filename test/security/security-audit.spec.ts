/**
 * The decision of `npm run security:audit` (scripts/security-audit-*.ts) over npm 11's output.
 * Fixtures: npm-audit-405, -connection-refused, -no-lockfile and -no-findings are real output of
 * `npm audit --omit=dev --json` captured on this project's machines; npm-audit-findings is the v2
 * report shape (npm's own test snapshots) filled with public GitHub advisories.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AuditOutcome, parseAuditOutput } from '../../scripts/security-audit-output';
import { type AllowListEntry, decide, parseAllowList } from '../../scripts/security-audit-policy';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const allowList = parseAllowList(fixture('audit-allowlist.json'));
const TODAY = '2026-12-02';
const strict = { today: TODAY, offlineOk: false };

/** The findings fixture without some packages, as npm would print it once those were upgraded. */
function findingsWithout(...packages: string[]): string {
  const report = JSON.parse(fixture('npm-audit-findings.json')) as { vulnerabilities: Record<string, unknown> };
  for (const name of packages) delete report.vulnerabilities[name];
  return JSON.stringify(report);
}

const lineAbout = (lines: string[], text: string) => lines.find((line) => line.includes(text)) ?? '';

describe('reading npm audit --json (v2 reports)', () => {
  it('lists each advisory once with its package, GHSA id and severity, and not the packages that only depend on one', () => {
    const outcome = parseAuditOutput(fixture('npm-audit-findings.json'));
    if (outcome.kind !== 'report') throw new Error(`expected a report, got ${outcome.kind}`);
    expect(outcome.dependencies).toBe(120);
    expect(outcome.advisories.map((advisory) => [advisory.package, advisory.ghsa, advisory.severity]).sort()).toEqual([
      ['axios', 'GHSA-8hc4-vh64-cxmj', 'high'],
      ['body-parser', 'GHSA-qwcr-r2fm-qrc7', 'high'],
      ['cookie', 'GHSA-pxg6-pf52-xh8x', 'low'],
      ['glob', 'GHSA-5j98-mcp5-4vw2', 'high'],
    ]);
    expect(outcome.advisories.find((advisory) => advisory.package === 'glob')).toMatchObject({ id: 1109843, nodes: ['node_modules/glob'], range: '>=10.3.7 <=11.0.3' });
  });

  it('treats a report whose advisory lacks its severity as broken, not as clean', () => {
    const report = JSON.parse(fixture('npm-audit-findings.json')) as { vulnerabilities: { glob: { via: Array<Record<string, unknown>> } } };
    delete report.vulnerabilities.glob.via[0]?.severity;
    expect(parseAuditOutput(JSON.stringify(report))).toMatchObject({ kind: 'broken' });
  });
});

describe('deciding on high and critical advisories', () => {
  it('fails on an advisory outside the allow-list and on one whose entry expired, accepts a valid entry, and names each', () => {
    const decision = decide(parseAuditOutput(fixture('npm-audit-findings.json')), allowList, strict);
    expect(decision.exitCode).toBe(1);
    expect(lineAbout(decision.lines, 'glob')).toMatch(/^\s*BLOCKING .*GHSA-5j98-mcp5-4vw2.*not in the allow-list/);
    expect(lineAbout(decision.lines, 'body-parser')).toMatch(/^\s*BLOCKING .*expired 2026-07-10: review it again/);
    expect(lineAbout(decision.lines, 'axios')).toMatch(/^\s*accepted .*until 2027-02-01.*never with user input/);
    expect(lineAbout(decision.lines, 'cookie')).toMatch(/^\s*below the bar\s+low/);
    expect(decision.lines.at(-1)).toMatch(/FAILED: 2 high\/critical advisories not accepted/);
  });

  it('passes when the only high advisory left is allow-listed, and says which entries match nothing', () => {
    const decision = decide(parseAuditOutput(findingsWithout('glob', 'body-parser', 'express')), allowList, strict);
    expect(decision.exitCode).toBe(0);
    expect(decision.lines.at(-1)).toMatch(/PASSED/);
    expect(lineAbout(decision.lines, 'semver')).toMatch(/unused entry\s+1096410 \(semver\).*remove it/);
    expect(lineAbout(decision.lines, 'body-parser')).toMatch(/unused entry/);
  });

  it('honours an entry through its expiry day and not a day longer', () => {
    const outcome = parseAuditOutput(findingsWithout('glob', 'body-parser', 'express'));
    expect(decide(outcome, allowList, { ...strict, today: '2027-02-01' }).exitCode).toBe(0);
    expect(decide(outcome, allowList, { ...strict, today: '2027-02-02' }).exitCode).toBe(1);
  });

  it('matches an entry by advisory and package together, by GHSA id, advisory URL or npm id', () => {
    const outcome = parseAuditOutput(findingsWithout('body-parser', 'express', 'cookie', 'axios'));
    const entry = (advisory: string, pkg = 'glob'): AllowListEntry => ({ advisory, package: pkg, reason: 'the glob CLI is never run by this service', reviewed: '2026-11-01', expires: '2027-01-01' });
    for (const advisory of ['ghsa-5j98-mcp5-4vw2', 'https://github.com/advisories/GHSA-5j98-mcp5-4vw2', '1109843']) {
      expect(decide(outcome, [entry(advisory)], strict).exitCode).toBe(0);
    }
    expect(decide(outcome, [entry('GHSA-5j98-mcp5-4vw2', 'minimatch')], strict).exitCode).toBe(1);
    expect(decide(outcome, [entry('GHSA-8hc4-vh64-cxmj')], strict).exitCode).toBe(1);
  });

  it('fails on a critical advisory and lets moderate ones through', () => {
    const report = JSON.parse(findingsWithout('glob', 'body-parser', 'express', 'axios')) as { vulnerabilities: { cookie: { via: Array<{ severity: string }> } } };
    const withSeverity = (severity: string) => {
      (report.vulnerabilities.cookie.via[0] as { severity: string }).severity = severity;
      return decide(parseAuditOutput(JSON.stringify(report)), [], strict).exitCode;
    };
    expect(withSeverity('moderate')).toBe(0);
    expect(withSeverity('critical')).toBe(1);
  });

  it('passes a report without findings', () => {
    const decision = decide(parseAuditOutput(fixture('npm-audit-no-findings.json')), [], strict);
    expect(decision).toEqual({ exitCode: 0, lines: [expect.stringMatching(/219 production dependencies checked; advisories: critical 0, high 0/), expect.stringMatching(/PASSED/)] });
  });
});

describe('when the audit cannot be done', () => {
  const notDone = (outcome: AuditOutcome) => [decide(outcome, allowList, strict), decide(outcome, allowList, { ...strict, offlineOk: true })];

  it('says that a registry answering 405 has no audit endpoint, and fails unless AUDIT_OFFLINE_OK=1 accepts it, still saying so', () => {
    const outcome = parseAuditOutput(fixture('npm-audit-405.json'));
    expect(outcome).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/answered 405 to POST https:\/\/registry\.npmjs\.org\/-\/npm\/v1\/security\/advisories\/bulk: it has no audit endpoint/) });
    const [failing, accepted] = notDone(outcome);
    expect(failing?.exitCode).toBe(2);
    expect(failing?.lines[0]).toMatch(/^security audit NOT DONE: .*No advisory was checked/);
    expect(accepted?.exitCode).toBe(0);
    expect(accepted?.lines[0]).toMatch(/^security audit NOT DONE/);
    expect(accepted?.lines.join('\n')).toMatch(/AUDIT_OFFLINE_OK=1/);
    expect(accepted?.lines.join('\n')).not.toMatch(/PASSED/);
  });

  it('names the network error when the request never got an answer', () => {
    const outcome = parseAuditOutput(fixture('npm-audit-connection-refused.json'));
    expect(outcome).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/advisory request failed: .*ECONNREFUSED/) });
    expect(notDone(outcome).map((decision) => decision.exitCode)).toEqual([2, 0]);
  });

  it('fails on a problem of the project (no lockfile) or unreadable output even with AUDIT_OFFLINE_OK=1', () => {
    const noLock = parseAuditOutput(fixture('npm-audit-no-lockfile.json'));
    expect(noLock).toEqual({ kind: 'broken', reason: expect.stringMatching(/ENOLOCK: This command requires an existing lockfile/) });
    const garbage = parseAuditOutput('npm ERR! something\n', 'npm error code E500\nnpm error boom');
    expect(garbage).toEqual({ kind: 'broken', reason: expect.stringMatching(/printed no JSON \(stderr: .*boom\)/) });
    for (const outcome of [noLock, garbage]) expect(notDone(outcome).map((decision) => decision.exitCode)).toEqual([2, 2]);
  });
});

describe('the allow-list file', () => {
  const withEntry = (entry: Record<string, unknown>) => JSON.stringify({ entries: [entry] });
  const valid = { advisory: 'GHSA-5j98-mcp5-4vw2', package: 'glob', reason: 'the glob CLI is never run by this service', reviewed: '2026-11-01', expires: '2027-01-01' };

  it('is valid as committed', () => {
    expect(() => parseAllowList(readFileSync(join(__dirname, '..', '..', 'security', 'audit-allowlist.json'), 'utf8'))).not.toThrow();
  });

  it('rejects entries without a reason, with an expiry before review or more than a year after it, or with unknown fields, naming each', () => {
    expect(() => parseAllowList(withEntry(valid))).not.toThrow();
    expect(() => parseAllowList(withEntry({ ...valid, reason: '' }))).toThrow(/entries\.0\.reason: say why/);
    expect(() => parseAllowList(withEntry({ ...valid, expires: '2026-10-01' }))).toThrow(/expires must be after reviewed/);
    expect(() => parseAllowList(withEntry({ ...valid, expires: '2027-11-03' }))).toThrow(/at most 366 days after reviewed/);
    expect(() => parseAllowList(withEntry({ ...valid, expires: 'soon' }))).toThrow(/entries\.0\.expires/);
    expect(() => parseAllowList(withEntry({ ...valid, severity: 'high' }))).toThrow(/severity/);
  });
});
