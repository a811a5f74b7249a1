import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { withCheckedOutClient } from '../../src/database/checked-out-client';
import { TcpProxy } from '../helpers/tcp-proxy';
import { requireEnv } from '../helpers/test-database';
import { lostWrites } from './support/compliance-traffic';
import { failedOutcomes, type Outcome } from './support/fixed-rate-traffic';
import { ServiceUnderLoad } from './support/service-under-load';

/** The pool's acquire timeout (DATABASE_CONNECT_TIMEOUT_MS): no request may wait longer for a connection. */
const CONNECT_TIMEOUT_MS = 2_000;
const OUTAGE_MS = 10_000;
const RATE_PER_SECOND = 20;
/** The runbook's promise: readiness follows the database within 2 s, both ways. */
const READINESS_TURN_MS = 2_000;

const describeAnswer = (outcome: Outcome) => ({
  operation: outcome.operation,
  status: outcome.status,
  problem: outcome.contentType.startsWith('application/problem+json'),
  code: outcome.code,
  retryAfter: outcome.retryAfter !== null,
  fast: outcome.finishedAt - outcome.startedAt < CONNECT_TIMEOUT_MS,
});

/** PostgreSQL of this run behind a proxy of its own, as a URL that goes through it. */
async function proxiedDatabase(): Promise<{ proxy: TcpProxy; url: string }> {
  const database = new URL(requireEnv('TEST_APP_DATABASE_URL'));
  const proxy = await TcpProxy.start(database.hostname, Number(database.port || 5432));
  database.host = proxy.address;
  return { proxy, url: database.toString() };
}

describe('database outage under steady mixed load (PostgreSQL behind a TCP proxy, cut for 10 s)', () => {
  let proxy: TcpProxy;
  let loaded: ServiceUnderLoad;

  beforeAll(async () => {
    const database = await proxiedDatabase();
    proxy = database.proxy;
    loaded = await ServiceUnderLoad.start({ DATABASE_URL: database.url, DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) });
  });

  afterAll(async () => {
    await proxy.restore();
    expect(await loaded?.stop()).toEqual({ code: 0, signal: null });
    await proxy.stop();
  });

  it('stays up, answers 503 problem+json at once while cut, turns readiness within 2 s both ways, and loses no acknowledged write', async () => {
    const { traffic, probes, mix } = await loaded.startTraffic(RATE_PER_SECOND, { auditVerify: true });
    await sleep(3_000);
    const cutAt = traffic.elapsedMs;
    await proxy.cut();
    const cutDone = traffic.elapsedMs;
    await sleep(OUTAGE_MS);
    const restoreAt = traffic.elapsedMs;
    await proxy.restore();
    await sleep(READINESS_TURN_MS + 2_000);
    const outcomes = await traffic.stop();
    await probes.stop();

    expect(loaded.crash).toBeUndefined();
    expect(probes.others('/health/live', 200)).toEqual([]);
    expect(probes.firstAnswer('/health/ready', 200, 0)?.at).toBeLessThan(cutAt);
    const notReady = probes.firstAnswer('/health/ready', 503, cutAt);
    expect(notReady?.body).toMatchObject({ status: 'unhealthy', components: { database: { status: 'unhealthy' } } });
    expect((notReady?.at ?? Infinity) - cutAt).toBeLessThan(READINESS_TURN_MS);
    expect((probes.firstAnswer('/health/ready', 200, restoreAt)?.at ?? Infinity) - restoreAt).toBeLessThan(READINESS_TURN_MS);

    const before = outcomes.filter((outcome) => outcome.finishedAt < cutAt);
    const during = outcomes.filter((outcome) => outcome.startedAt >= cutDone && outcome.finishedAt < restoreAt);
    const after = outcomes.filter((outcome) => outcome.startedAt >= restoreAt + READINESS_TURN_MS);
    expect(failedOutcomes(before)).toEqual([]);
    expect(failedOutcomes(after)).toEqual([]);
    expect(before.length).toBeGreaterThan(20);
    expect(after.length).toBeGreaterThan(20);
    // Every kind of call, screenings, payout eligibility and the audit chain check included.
    expect(new Set(during.map((outcome) => outcome.operation))).toEqual(new Set(mix.operations.map((operation) => operation.name)));
    const unavailable = { status: 503, problem: true, code: 'DATABASE.UNAVAILABLE', retryAfter: true, fast: true };
    expect(during.map(describeAnswer)).toEqual(during.map((outcome) => ({ operation: outcome.operation, ...unavailable })));
    // Around the cut and the restore a call is either served or refused the same way, never a 500 or a dropped connection.
    expect(outcomes.filter((outcome) => outcome.status !== 503 && (outcome.status < 200 || outcome.status >= 300)).map(describeAnswer)).toEqual([]);
    // Open-loop traffic piles up only if answers wait: about rate × answer time, far below rate × acquire timeout.
    expect(traffic.maxInFlight).toBeLessThan((RATE_PER_SECOND * CONNECT_TIMEOUT_MS) / 1_000);

    const writes = await lostWrites(requireEnv('TEST_APP_DATABASE_URL'), outcomes);
    expect(writes.lost).toEqual([]);
    expect(writes.acknowledged).toBeGreaterThan(20);
    // Classified as unavailability, not as a bug: no per-request error line, one warning a second at most.
    const log = loaded.service.output.join('');
    expect(log).not.toContain('Unhandled error');
    expect(log).toContain('Database unavailable (DATABASE.UNAVAILABLE)');
  });
});

/**
 * What crashed the service in this scenario before: pg-pool leaves a checked-out client without an
 * error listener, so a reset between two queries of payout eligibility's one-round-trip reader
 * ended the process with an unhandled 'error' event.
 */
describe('a client checked out of the pool directly when its connection is reset', () => {
  it('fails the next query, drops the client from the pool, and raises no unhandled error', async () => {
    const { proxy, url } = await proxiedDatabase();
    const pool = new Pool({ connectionString: url, max: 1 });
    pool.on('error', () => undefined);
    try {
      const failure = await withCheckedOutClient(pool, async (client) => {
        await client.query('SELECT 1');
        await proxy.cut();
        // The reset arrives while no query runs: only the client's 'error' event carries it.
        await sleep(200);
        return client.query('SELECT 1');
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(pool.totalCount).toBe(0);
    } finally {
      await pool.end();
      await proxy.stop();
    }
  });
});
