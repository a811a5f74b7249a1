import { type SmokeCheck, SmokeCheckFailure, type SmokeCheckResult } from './smoke-check';
import { SmokeCallError, type SmokeClient } from './smoke-client';

/** The deployment guide's latency SLO: p99 < 500 ms. Every smoke call is held to it. */
export const LATENCY_SLO_MS = 500;

/** Runs every check, one after the other (a smoke run must not load the service), never stopping at a failure. */
export async function runSmokeChecks(checks: SmokeCheck[], client: SmokeClient): Promise<SmokeCheckResult[]> {
  const results: SmokeCheckResult[] = [];
  for (const check of checks) {
    const checkClient = client.forCheck();
    let passed = true;
    let detail: string;
    try {
      detail = await check.run(checkClient);
    } catch (error) {
      passed = false;
      if (!(error instanceof SmokeCheckFailure || error instanceof SmokeCallError)) throw error;
      detail = error.message;
    }
    const latencyMs = checkClient.slowestMs;
    if (passed && latencyMs !== undefined && latencyMs >= LATENCY_SLO_MS) {
      passed = false;
      detail = `${detail}; took ${Math.round(latencyMs)} ms, over the ${LATENCY_SLO_MS} ms p99 SLO`;
    }
    results.push({ name: check.name, passed, detail, latencyMs });
  }
  return results;
}
