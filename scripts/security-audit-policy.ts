/**
 * The pre-deployment dependency check's rules (README "Security scan"): a high or critical advisory
 * in a production dependency fails the check unless security/audit-allowlist.json holds a reviewed,
 * unexpired entry for that advisory and package. An audit that could not be done is never reported
 * as clean: it fails, unless AUDIT_OFFLINE_OK=1 says this machine's registry is known to have no
 * audit endpoint, and even then every run prints that no advisory was checked.
 */
import { z } from 'zod';
import { type Advisory, type AuditOutcome, severityRank } from './security-audit-output';

const DAY_MS = 86_400_000;
/** An acceptance is re-reviewed at least yearly: advisories gain exploits and fixes ship. */
const MAX_ACCEPTANCE_DAYS = 366;

const allowListEntry = z
  .object({
    /** GHSA id, its https://github.com/advisories/… URL, or npm's numeric advisory id. */
    advisory: z.string().min(1),
    package: z.string().min(1),
    reason: z.string().min(20, 'say why the advisory does not apply or cannot be fixed yet'),
    reviewed: z.iso.date(),
    reviewedBy: z.string().min(1).optional(),
    expires: z.iso.date(),
  })
  .strict()
  .refine((entry) => entry.expires > entry.reviewed, { message: 'expires must be after reviewed' })
  .refine((entry) => Date.parse(entry.expires) - Date.parse(entry.reviewed) <= MAX_ACCEPTANCE_DAYS * DAY_MS, { message: `expires at most ${MAX_ACCEPTANCE_DAYS} days after reviewed` });

const allowListFile = z.object({ $comment: z.string().optional(), entries: z.array(allowListEntry) }).strict();

export type AllowListEntry = z.infer<typeof allowListEntry>;

/** Parses security/audit-allowlist.json; throws listing every problem. */
export function parseAllowList(text: string, source = 'security/audit-allowlist.json'): AllowListEntry[] {
  const result = allowListFile.safeParse(JSON.parse(text));
  if (!result.success) {
    throw new Error(`${source}: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}`);
  }
  return result.data.entries;
}

export interface DecisionOptions {
  /** YYYY-MM-DD; an entry is valid through its `expires` day. */
  today: string;
  /** AUDIT_OFFLINE_OK=1. */
  offlineOk: boolean;
}

export interface Decision {
  /** 0 passed (or not done and accepted), 1 advisories not accepted, 2 audit not done or broken. */
  exitCode: 0 | 1 | 2;
  lines: string[];
}

const GHSA = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i;

function covers(entry: AllowListEntry, advisory: Advisory): boolean {
  if (entry.package !== advisory.package) return false;
  const ghsa = GHSA.exec(entry.advisory)?.[0];
  if (ghsa !== undefined) return advisory.ghsa?.toUpperCase() === ghsa.toUpperCase();
  return entry.advisory === String(advisory.id) || entry.advisory === advisory.url;
}

const label = (advisory: Advisory) => `${advisory.severity} ${advisory.ghsa ?? advisory.id} in ${advisory.package} ${advisory.range}`;
const isBlockingSeverity = (advisory: Advisory) => severityRank(advisory.severity) >= severityRank('high');

function decideReport(advisories: Advisory[], dependencies: number, entries: AllowListEntry[], today: string): Decision {
  const lines: string[] = [];
  const used = new Set<AllowListEntry>();
  let blocking = 0;
  for (const advisory of [...advisories].sort((a, b) => severityRank(b.severity) - severityRank(a.severity))) {
    const matching = entries.filter((entry) => covers(entry, advisory));
    matching.forEach((entry) => used.add(entry));
    const valid = matching.find((entry) => entry.expires >= today);
    if (!isBlockingSeverity(advisory)) {
      lines.push(`  below the bar    ${label(advisory)}: ${advisory.title}`);
    } else if (valid !== undefined) {
      lines.push(`  accepted         ${label(advisory)} until ${valid.expires} (reviewed ${valid.reviewed}): ${valid.reason}`);
    } else {
      blocking += 1;
      const expired = matching[0];
      const why = expired === undefined ? 'not in the allow-list' : `allow-list entry expired ${expired.expires}: review it again`;
      lines.push(`  BLOCKING         ${label(advisory)}: ${advisory.title} (${advisory.url}) — ${why}`);
    }
  }
  for (const entry of entries.filter((candidate) => !used.has(candidate))) {
    lines.push(`  unused entry     ${entry.advisory} (${entry.package}): no current advisory matches it; remove it from the allow-list`);
  }
  const counts = (['critical', 'high', 'moderate', 'low', 'info'] as const).map((severity) => `${severity} ${advisories.filter((advisory) => advisory.severity === severity).length}`);
  const header = `security audit: ${dependencies} production dependencies checked; advisories: ${counts.join(', ')}`;
  const verdict = blocking === 0 ? 'security audit PASSED: no high or critical advisory outside the reviewed allow-list' : `security audit FAILED: ${blocking} high/critical ${blocking === 1 ? 'advisory' : 'advisories'} not accepted (upgrade, or add a reviewed entry to security/audit-allowlist.json)`;
  return { exitCode: blocking === 0 ? 0 : 1, lines: [header, ...lines, verdict] };
}

export function decide(outcome: AuditOutcome, entries: AllowListEntry[], options: DecisionOptions): Decision {
  if (outcome.kind === 'report') return decideReport(outcome.advisories, outcome.dependencies, entries, options.today);
  if (outcome.kind === 'broken') return { exitCode: 2, lines: [`security audit FAILED TO RUN: ${outcome.reason}`] };
  const notDone = `security audit NOT DONE: ${outcome.reason}. No advisory was checked: this is not a clean result.`;
  if (options.offlineOk) {
    return { exitCode: 0, lines: [notDone, 'security audit: accepted as not done because AUDIT_OFFLINE_OK=1 (this registry is known to lack the audit endpoint); audit against a registry that has one before deploying'] };
  }
  return { exitCode: 2, lines: [notDone, 'security audit: failing; set AUDIT_OFFLINE_OK=1 only where the registry is known to lack the audit endpoint'] };
}
