/**
 * Reads what `npm audit --omit=dev --json` printed into one of three outcomes. npm's exit code says
 * little: it is 1 both when vulnerabilities were found and when the audit could not be done, so the
 * outcome comes from the JSON on stdout, which has one of three shapes (npm 11,
 * lib/utils/audit-error.js and lib/utils/error-message.js):
 * - a report, `auditReportVersion: 2` with `vulnerabilities` keyed by package;
 * - the failed advisory request, `{ message, method?, uri?, statusCode?, ... }`: with `statusCode`
 *   when the registry answered (mirrors without `POST /-/npm/v1/security/advisories/bulk` answer
 *   404 or 405), without it when the network did not carry the request ("request to … failed,
 *   reason: getaddrinfo ENOTFOUND …");
 * - an npm error, `{ error: { code, summary, detail } }`: a problem of the project (ENOLOCK: no
 *   package-lock.json) or of npm's own requests.
 * `npm audit --offline` prints a clean report without asking anyone: the caller passes --no-offline.
 */

export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

export interface Advisory {
  /** npm's advisory id (`source`). */
  id: number;
  /** https://github.com/advisories/GHSA-… */
  url: string;
  /** GHSA-xxxx-xxxx-xxxx, taken from the URL when it has one. */
  ghsa?: string;
  package: string;
  title: string;
  severity: Severity;
  /** Vulnerable versions. */
  range: string;
  /** Where it sits in node_modules. */
  nodes: string[];
}

export type AuditOutcome =
  /** `dependencies`: npm's count of production packages in the tree. */
  | { kind: 'report'; advisories: Advisory[]; dependencies: number }
  /** The audit could not be done for a reason outside the project: no endpoint, no network. */
  | { kind: 'unavailable'; reason: string }
  /** The audit could not be done for a reason the project must fix, or npm printed something unknown. */
  | { kind: 'broken'; reason: string };

const SEVERITIES: readonly Severity[] = ['info', 'low', 'moderate', 'high', 'critical'];
/**
 * npm error codes that mean the request never got an answer (node:net, npm-registry-fetch), and
 * ENOAUDIT, npm's code for a registry that does not support audits.
 */
const UNAVAILABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'ERR_SOCKET_TIMEOUT', 'FETCH_ERROR', 'ENOAUDIT']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSeverity = (value: unknown): value is Severity => SEVERITIES.includes(value as Severity);

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The advisories in a v2 report: the objects in each package's `via` (strings there only point at another package). */
function advisoriesOf(vulnerabilities: Json): Advisory[] {
  const found = new Map<string, Advisory>();
  for (const [packageName, entry] of Object.entries(vulnerabilities)) {
    if (!isObject(entry) || !Array.isArray(entry.via)) throw new Error(`vulnerabilities.${packageName} has no via list`);
    const nodes = Array.isArray(entry.nodes) ? entry.nodes.filter((node): node is string => typeof node === 'string') : [];
    for (const via of entry.via) {
      if (!isObject(via)) continue;
      if (typeof via.source !== 'number' || typeof via.url !== 'string' || !isSeverity(via.severity)) {
        throw new Error(`vulnerabilities.${packageName}.via has an advisory without source, url or severity`);
      }
      const name = typeof via.name === 'string' ? via.name : packageName;
      const ghsa = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i.exec(via.url)?.[0];
      found.set(`${via.source}:${name}`, {
        id: via.source,
        url: via.url,
        ...(ghsa === undefined ? {} : { ghsa }),
        package: name,
        title: typeof via.title === 'string' ? via.title : '',
        severity: via.severity,
        range: typeof via.range === 'string' ? via.range : '',
        nodes,
      });
    }
  }
  return [...found.values()];
}

function errorOutcome(error: Json): AuditOutcome {
  const code = typeof error.code === 'string' ? error.code : 'unknown';
  const summary = typeof error.summary === 'string' ? error.summary.split('\n')[0] : '';
  if (UNAVAILABLE_CODES.has(code)) return { kind: 'unavailable', reason: `${code === 'ENOAUDIT' ? 'the registry does not support audits' : 'the registry could not be reached'} (${code}: ${summary})` };
  return { kind: 'broken', reason: `npm audit failed (${code}: ${summary})` };
}

export function parseAuditOutput(stdout: string, stderr = ''): AuditOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    return { kind: 'broken', reason: `npm audit printed no JSON${tail === '' ? '' : ` (stderr: ${tail})`}` };
  }
  if (!isObject(parsed)) return { kind: 'broken', reason: 'npm audit printed JSON that is not an object' };
  if (parsed.auditReportVersion === 2 && isObject(parsed.vulnerabilities)) {
    try {
      const dependencies = isObject(parsed.metadata) && isObject(parsed.metadata.dependencies) ? Number(parsed.metadata.dependencies.prod ?? 0) : 0;
      return { kind: 'report', advisories: advisoriesOf(parsed.vulnerabilities), dependencies };
    } catch (error) {
      return { kind: 'broken', reason: `npm audit report not understood: ${(error as Error).message}` };
    }
  }
  if (typeof parsed.statusCode === 'number') {
    const request = `${typeof parsed.method === 'string' ? parsed.method : 'POST'} ${typeof parsed.uri === 'string' ? parsed.uri : 'the advisory endpoint'}`;
    const missing = [404, 405, 501].includes(parsed.statusCode);
    return { kind: 'unavailable', reason: `the registry answered ${parsed.statusCode} to ${request}${missing ? ': it has no audit endpoint' : ''}` };
  }
  if (typeof parsed.message === 'string') return { kind: 'unavailable', reason: `the advisory request failed: ${parsed.message}` };
  if (isObject(parsed.error)) return errorOutcome(parsed.error);
  return { kind: 'broken', reason: `npm audit printed JSON of an unknown shape (keys: ${Object.keys(parsed).join(', ')})` };
}
