import { parseArgs } from 'node:util';
import { ConfigValidationError, loadConfig } from '../config/config.loader';
import { SmokeClient } from './smoke-client';
import { smokeChecks } from './smoke-checks';
import { smokeTable, smokeVerdict } from './smoke-report';
import { runSmokeChecks } from './smoke-runner';
import { SmokeSetupError, smokeToken } from './smoke-token';

const USAGE = `Usage: npm run smoke -- --base-url <url> [--timeout-ms <n>]
Checks a running service's critical paths as the smoke tenant (SMOKE_TENANT_ID): probes, /metrics,
screening (MATCH and CLEAR), payout eligibility, audit chain; every call under the 500 ms p99 SLO.
Token: SMOKE_TOKEN, else minted from JWT_SECRET (refused when NODE_ENV is staging or production).
Exit: 0 all checks passed, 1 a check failed (named on the last line), 2 cannot run (usage, token).`;
const DEFAULT_CALL_TIMEOUT_MS = 5_000;

/** `npm run smoke`: after every deploy, before traffic moves (scripts/blue-green-switch.sh, canary-step.sh). */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { 'base-url': { type: 'string' }, 'timeout-ms': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const baseUrl = values['base-url'];
  const timeoutMs = Number(values['timeout-ms'] ?? DEFAULT_CALL_TIMEOUT_MS);
  if (baseUrl === undefined || !URL.canParse(baseUrl) || !(timeoutMs > 0)) throw new SmokeSetupError(USAGE);
  const config = loadConfig(process.env, { requireSecrets: false });
  const client = new SmokeClient(baseUrl, await smokeToken(config), timeoutMs);
  const results = await runSmokeChecks(smokeChecks(config.smoke.tenantId), client);
  process.stdout.write(`${smokeTable(results)}\n`);
  const verdict = smokeVerdict(results, baseUrl);
  const passed = results.every((result) => result.passed);
  (passed ? process.stdout : process.stderr).write(`${verdict}\n`);
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof SmokeSetupError || error instanceof ConfigValidationError;
    process.stderr.write(`smoke: cannot run: ${known ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
