import { z } from 'zod';
import { parsePrometheusText } from '../metrics/prometheus-text';
import { chainVerificationSchema } from '../modules/audit/dto/audit.dto';
import { screeningViewSchema } from '../modules/sanctions/dto/screening.dto';
import { payoutEligibilitySchema } from '../modules/venues/dto/verification.dto';
import { type SmokeCheck, SmokeCheckFailure } from './smoke-check';
import type { SmokeResponse } from './smoke-client';

/**
 * On the SDN list since 1963 (entry 306) and in test/fixtures/sanctions/ofac: a list that does not
 * answer MATCH for it is not the list, or screening is broken.
 */
export const LISTED_NAME = 'BANCO NACIONAL DE CUBA';
/** Made-up words no list entry comes near, so any hit means matching went wrong. */
export const CLEAN_NAME = 'Qorvaxt Blimquist Smoke Check';
/** No verification is ever started for it: its answer is the fixed one for an unknown venue. */
export const SMOKE_VENUE_ID = 'smoke-venue';
/** Payout eligibility is the hot path: judged on the slowest of this many calls (their p99). */
export const PAYOUT_CALLS = 20;

const readinessSchema = z.object({
  status: z.string(),
  components: z.record(z.string(), z.looseObject({ status: z.string(), error: z.string().optional() })).optional(),
});
const problemSchema = z.looseObject({ code: z.string(), detail: z.string().optional(), requestId: z.string().optional() });

/** The answer's status, or a failure naming what came back instead: the problem's code, request id (to find its logs) and detail. */
function expectStatus(response: SmokeResponse, expected: number): void {
  if (response.status === expected) return;
  const problem = problemSchema.safeParse(safeJson(response.body));
  const why = problem.success
    ? `${problem.data.code}${problem.data.requestId === undefined ? '' : ` (request ${problem.data.requestId})`}${problem.data.detail === undefined ? '' : `: ${problem.data.detail}`}`
    : response.body.slice(0, 200);
  const hint = response.status === 401 ? ' (is SMOKE_TOKEN a token of this environment?)' : '';
  throw new SmokeCheckFailure(`answered ${response.status}, expected ${expected}${why === '' ? '' : ` — ${why}`}${hint}`);
}

function parsed<T>(schema: z.ZodType<T>, response: SmokeResponse): T {
  const result = schema.safeParse(safeJson(response.body));
  if (!result.success) throw new SmokeCheckFailure(`unexpected body: ${z.prettifyError(result.error).replace(/\n/g, ' ')}`);
  return result.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The critical paths, in the order an outage shows in them: process, dependencies, domain. */
export function smokeChecks(smokeTenantId: string): SmokeCheck[] {
  const screen = (name: string, client: Parameters<SmokeCheck['run']>[0]) =>
    client.call('/api/v1/screenings', { method: 'POST', body: { name } }).then((response) => {
      expectStatus(response, 201);
      return parsed(screeningViewSchema, response);
    });
  return [
    {
      name: 'liveness',
      run: async (client) => {
        expectStatus(await client.call('/health/live', { authenticated: false }), 200);
        return '200';
      },
    },
    {
      name: 'readiness',
      run: async (client) => {
        const response = await client.call('/health/ready', { authenticated: false });
        const report = safeJson(response.body) === undefined ? undefined : parsed(readinessSchema, response);
        const unwell = Object.entries(report?.components ?? {})
          .filter(([, component]) => component.status === 'unhealthy' || component.status === 'degraded')
          .map(([name, component]) => `${name} ${component.status}${component.error === undefined ? '' : ` (${component.error})`}`);
        if (response.status !== 200) throw new SmokeCheckFailure(`answered ${response.status}: ${unwell.join(', ') || report?.status || response.body.slice(0, 200)}`);
        return [report?.status ?? '200', ...unwell].join(', ');
      },
    },
    {
      name: 'metrics',
      run: async (client) => {
        const response = await client.call('/metrics', { authenticated: false });
        expectStatus(response, 200);
        let samples: number;
        try {
          samples = parsePrometheusText(response.body).length;
        } catch (error) {
          throw new SmokeCheckFailure(`does not parse: ${(error as Error).message.slice(0, 200)}`);
        }
        if (samples === 0) throw new SmokeCheckFailure('parses, but holds no samples');
        return `${samples} samples`;
      },
    },
    {
      name: 'screening MATCH',
      run: async (client) => {
        const screening = await screen(LISTED_NAME, client);
        if (screening.result !== 'MATCH') throw new SmokeCheckFailure(`${LISTED_NAME} screened ${screening.result}, expected MATCH (lists ${screening.listVersion})`);
        const hits = screening.matches.filter((hit) => hit.outcome === 'MATCH').map((hit) => `${hit.list} ${hit.sdnId}`);
        return `MATCH ${hits.join(', ')}`;
      },
    },
    {
      name: 'screening CLEAR',
      run: async (client) => {
        const screening = await screen(CLEAN_NAME, client);
        if (screening.result !== 'CLEAR') {
          throw new SmokeCheckFailure(`${CLEAN_NAME} screened ${screening.result}, expected CLEAR (${screening.matches.map((hit) => `${hit.list} ${hit.sdnId}`).join(', ')})`);
        }
        return 'CLEAR';
      },
    },
    {
      name: 'payout eligibility',
      run: async (client) => {
        let answer: z.infer<typeof payoutEligibilitySchema> | undefined;
        for (let call = 0; call < PAYOUT_CALLS; call++) {
          const response = await client.call(`/api/v1/venues/${SMOKE_VENUE_ID}/payout-eligibility`);
          expectStatus(response, 200);
          answer = parsed(payoutEligibilitySchema, response);
        }
        return `${PAYOUT_CALLS} calls, eligible ${answer?.eligible}`;
      },
    },
    {
      name: 'audit verify',
      run: async (client) => {
        const response = await client.call('/api/v1/audit/verify');
        expectStatus(response, 200);
        const chain = parsed(chainVerificationSchema, response);
        if (chain.tenantId !== smokeTenantId) throw new SmokeCheckFailure(`verified tenant ${chain.tenantId}, not the smoke tenant ${smokeTenantId}`);
        if (!chain.intact) throw new SmokeCheckFailure(`chain broken at seq ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`);
        return `intact, ${chain.checked} entries`;
      },
    },
  ];
}
