/**
 * `npm run security:audit`: `npm audit --omit=dev --json` judged by scripts/security-audit-policy.ts
 * against security/audit-allowlist.json. Exit 0 passed, 1 high/critical advisories not accepted,
 * 2 the audit could not be done (unless AUDIT_OFFLINE_OK=1) or the allow-list is invalid.
 * --no-offline because an offline `npm audit` reports zero vulnerabilities without asking anyone.
 * There is no offline fallback: nothing in node_modules carries an advisory database, and an
 * audit against an invented or stale list would look clean without being so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAuditOutput } from './security-audit-output';
import { decide, parseAllowList } from './security-audit-policy';

const ROOT = join(__dirname, '..');
const ALLOW_LIST = join(ROOT, 'security', 'audit-allowlist.json');

function main(): number {
  let entries;
  try {
    entries = parseAllowList(readFileSync(ALLOW_LIST, 'utf8'));
  } catch (error) {
    process.stderr.write(`security audit: the allow-list is invalid: ${(error as Error).message}\n`);
    return 2;
  }
  const audit = spawnSync('npm', ['audit', '--omit=dev', '--json', '--no-offline'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  const outcome = audit.error !== undefined
    ? { kind: 'broken' as const, reason: `npm audit could not be started: ${audit.error.message}` }
    : parseAuditOutput(audit.stdout, audit.stderr);
  const decision = decide(outcome, entries, { today: new Date().toISOString().slice(0, 10), offlineOk: process.env.AUDIT_OFFLINE_OK === '1' });
  process.stdout.write(`${decision.lines.join('\n')}\n`);
  return decision.exitCode;
}

process.exitCode = main();
