import { Client } from 'pg';
import type { ServiceProcess } from '../helpers/service-process';
import { requireEnv } from '../helpers/test-database';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';
import { type Answer, call, type TrafficRequest } from './support/fixed-rate-traffic';
import { startSuiteService, stopService } from './support/suite-service';

/** DATABASE_STATEMENT_TIMEOUT_MS for this scenario: short, so a lock wait ends in a second. */
const STATEMENT_TIMEOUT_MS = 1_000;
/** How late a timed-out answer may come on a loaded machine; the timeout itself is the floor. */
const ANSWER_SLACK_MS = 4_000;
const POOL_SIZE = 10;

const timedOut = (answer: Answer) => ({
  status: answer.status,
  problem: answer.contentType.startsWith('application/problem+json'),
  code: (answer.json as { code?: string } | undefined)?.code,
  namesTheTimeout: /statement timeout/.test((answer.json as { detail?: string } | undefined)?.detail ?? ''),
  atTheTimeout: answer.durationMs >= STATEMENT_TIMEOUT_MS * 0.9 && answer.durationMs < STATEMENT_TIMEOUT_MS + ANSWER_SLACK_MS,
});
const TIMED_OUT = { status: 503, problem: true, code: 'DATABASE.TIMEOUT', namesTheTimeout: true, atTheTimeout: true };

/** A second session, as a long migration or a DBA's manual transaction would hold one. */
async function holdLock(sql: string, values: unknown[] = []): Promise<{ release: () => Promise<void> }> {
  const client = new Client({ connectionString: requireEnv('TEST_APP_DATABASE_URL') });
  await client.connect();
  await client.query('BEGIN');
  await client.query(sql, values);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** The service's sessions left mid-transaction or waiting for a lock: after recovery there must be none. */
async function stuckServiceSessions(): Promise<string[]> {
  const client = new Client({ connectionString: requireEnv('TEST_APP_DATABASE_URL') });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string }>(
      "SELECT state || ' ' || coalesce(wait_event_type, '') AS state FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'compliance-service%' AND (state LIKE 'idle in transaction%' OR wait_event_type = 'Lock')",
    );
    return rows.map((row) => row.state);
  } finally {
    await client.end();
  }
}

describe('slow database: a lock held on a hot table', () => {
  let service: ServiceProcess;
  let base: string;
  let officer: TestCaller;
  let verificationId: string;
  const venueId = `venue-slow-${Date.now().toString(36)}`;
  const listVerifications: () => TrafficRequest = () => ({ method: 'GET', path: `/api/v1/venues/${venueId}/verifications`, headers: officer.headers });
  const startVerification: (n: number) => TrafficRequest = (n) => ({ method: 'POST', path: `/api/v1/venues/${venueId}-${n}/verifications`, headers: officer.headers, body: submission() });
  const sendBack = (): TrafficRequest => ({
    method: 'POST',
    path: `/api/v1/verifications/${verificationId}/decisions`,
    headers: officer.headers,
    body: { decision: 'request_changes', reason: 'Address does not match' },
  });

  beforeAll(async () => {
    ({ service, base } = await startSuiteService({ DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DATABASE_POOL_SIZE: String(POOL_SIZE) }));
    officer = await callerOf(['compliance_officer']);
    const created = await call(base, { method: 'POST', path: `/api/v1/venues/${venueId}/verifications`, headers: officer.headers, body: submission() });
    expect(created.status).toBe(201);
    verificationId = (created.json as { id: string }).id;
  });

  afterAll(async () => {
    expect(await stopService(service)).toEqual({ code: 0, signal: null });
  });

  it('answers 503 DATABASE.TIMEOUT at the statement timeout while the table is locked, serves other tables meanwhile, and recovers the pool', async () => {
    const lock = await holdLock('LOCK TABLE venue_verifications IN ACCESS EXCLUSIVE MODE');
    let blocked: Answer[];
    let unaffected: Answer[];
    try {
      [blocked, unaffected] = await Promise.all([
        Promise.all([listVerifications(), listVerifications(), listVerifications(), startVerification(1), startVerification(2)].map((request) => call(base, request))),
        Promise.all([
          call(base, { method: 'GET', path: '/api/v1/risk/flags', headers: officer.headers }),
          call(base, { method: 'GET', path: '/api/v1/audit?limit=5', headers: officer.headers }),
          call(base, { method: 'GET', path: '/health/ready', headers: {} }),
        ]),
      ]);
    } finally {
      await lock.release();
    }
    expect(blocked.map(timedOut)).toEqual(blocked.map(() => TIMED_OUT));
    expect(blocked.every((answer) => answer.retryAfter !== null)).toBe(true);
    expect(unaffected.map((answer) => answer.status)).toEqual([200, 200, 200]);

    // Twice the pool at once, all touching the table that was locked: every connection came back usable.
    const burst = await Promise.all(Array.from({ length: 2 * POOL_SIZE }, (_, n) => call(base, n % 2 === 0 ? listVerifications() : startVerification(100 + n))));
    expect(burst.map((answer) => answer.status)).toEqual(Array.from({ length: 2 * POOL_SIZE }, (_, n) => (n % 2 === 0 ? 200 : 201)));
    expect(await stuckServiceSessions()).toEqual([]);
  });

  it('answers 503 DATABASE.TIMEOUT for a decision on a row another session holds FOR UPDATE, then decides once it is released', async () => {
    const lock = await holdLock('SELECT id FROM venue_verifications WHERE id = $1 FOR UPDATE', [verificationId]);
    let whileLocked: Answer;
    let readWhileLocked: Answer;
    try {
      [whileLocked, readWhileLocked] = await Promise.all([call(base, sendBack()), call(base, listVerifications())]);
    } finally {
      await lock.release();
    }
    expect(timedOut(whileLocked)).toEqual(TIMED_OUT);
    // A row lock blocks writers of that row only: plain reads go on.
    expect(readWhileLocked.status).toBe(200);
    const decided = await call(base, sendBack());
    expect({ status: decided.status, state: (decided.json as { state?: string }).state }).toEqual({ status: 200, state: 'action_required' });
  });
});
