import { countRows, importWithCli, OFAC_FIXTURE } from '../../helpers/sanctions-lists';
import { ServiceProcess } from '../../helpers/service-process';
import { TEST_RATE_LIMIT } from '../../helpers/test-app';
import { requireEnv } from '../../helpers/test-database';

/**
 * The production settings of ServiceProcess.startOnTestDatabase, except: a rate limit the traffic
 * never reaches (fail-open is shown by the RateLimit header instead), warnings only (a line per
 * request would cost the CPU the scenarios share), no load shedding (on a 2-core machine shared
 * with other work the event-loop delay can pass its threshold for reasons that have nothing to do
 * with the fault under test; shedding has its own suites and bench:overload), and no drain on
 * SIGTERM, which only rolling-restart (which sets its own) has a proxy to drain from.
 */
const SUITE_ENV: NodeJS.ProcessEnv = {
  RATE_LIMIT_DEFAULT_LIMIT: String(TEST_RATE_LIMIT),
  LOG_LEVEL: 'warn',
  LOAD_SHEDDING: 'false',
  SHUTDOWN_DRAIN_MS: '0',
};

/** `args`: Node's arguments, when a scenario runs dist/index.js with flags of its own. */
export function startSuiteService(env: NodeJS.ProcessEnv = {}, args?: string[]): Promise<{ service: ServiceProcess; base: string }> {
  return ServiceProcess.startOnTestDatabase({ ...SUITE_ENV, ...env }, args);
}

/** SIGTERM, as Kubernetes stops a pod; resolves with how it exited. */
export async function stopService(service: ServiceProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  service.kill('SIGTERM');
  return service.exited;
}

/**
 * Imports the OFAC fixture into this run's database, so screenings answer instead of 503
 * "no list loaded". The resilience run has a database of its own (global setup), shared only by
 * these scenarios.
 */
export async function loadSanctionsList(): Promise<void> {
  const url = requireEnv('TEST_APP_DATABASE_URL');
  // An earlier scenario of this run imported it already: spare the CLI's start-up.
  if ((await countRows(url, 'SELECT count(*) FROM sanctions_list_versions WHERE active')) > 0) return;
  const imported = await importWithCli(url, ['--dir', OFAC_FIXTURE]);
  if (imported.code !== 0) throw new Error(`Importing the OFAC fixture failed:\n${imported.stderr}`);
}
