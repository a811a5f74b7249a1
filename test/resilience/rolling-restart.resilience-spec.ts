import { eventually } from '../helpers/eventually';
import type { ServiceProcess } from '../helpers/service-process';
import { requireEnv } from '../helpers/test-database';
import { complianceTraffic, lostWrites } from './support/compliance-traffic';
import { failedOutcomes, FixedRateTraffic } from './support/fixed-rate-traffic';
import { RoundRobinProxy } from './support/round-robin-proxy';
import { loadSanctionsList, startSuiteService, stopService } from './support/suite-service';

/** How often the proxy reads each instance's readiness (the endpoints controller's reaction time). */
const POLL_MS = 100;
/**
 * SHUTDOWN_DRAIN_MS: how long an instance keeps serving after readiness turns 503. Twenty polls:
 * the proxy must have dropped the instance long before it closes, even on a loaded machine.
 */
const DRAIN_MS = 2_000;
const RATE_PER_SECOND = 20;

interface Instance {
  service: ServiceProcess;
  base: string;
}

describe('rolling restart: two instances behind a round-robin proxy that follows readiness', () => {
  const running = new Set<Instance>();
  let proxy: RoundRobinProxy;
  let traffic: FixedRateTraffic | undefined;
  /** When each SIGTERM was sent, in the traffic's clock (Outcome.startedAt). */
  const drainsStartedAt: number[] = [];

  const startInstance = async (): Promise<Instance> => {
    const instance = await startSuiteService({ SHUTDOWN_DRAIN_MS: String(DRAIN_MS) });
    running.add(instance);
    proxy.add(instance.base);
    await eventually(async () => (proxy.isReady(instance.base) ? true : undefined), 10_000, `${instance.base} joins the rotation`);
    return instance;
  };

  /** SIGTERM, as the rollout deletes the pod: the proxy must drop it during the drain; it must exit 0. */
  const stopInstance = async (instance: Instance): Promise<void> => {
    const signalledAt = Date.now();
    if (traffic !== undefined) drainsStartedAt.push(traffic.elapsedMs);
    instance.service.kill('SIGTERM');
    await eventually(async () => (proxy.isReady(instance.base) ? undefined : true), DRAIN_MS, `the proxy drops ${instance.base} while it drains`);
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_MS);
    expect(await instance.service.exited).toEqual({ code: 0, signal: null });
    running.delete(instance);
    await proxy.remove(instance.base);
  };

  /** Waits until the proxy has sent `instance` a second's worth of the traffic. */
  const servedSome = (instance: Instance) =>
    eventually(async () => ((proxy.routed.get(instance.base) ?? 0) >= RATE_PER_SECOND ? true : undefined), 30_000, `${instance.base} serves traffic`);

  beforeAll(async () => {
    await loadSanctionsList();
    proxy = await RoundRobinProxy.start(POLL_MS);
  });

  afterAll(async () => {
    await traffic?.stop();
    await proxy.stop();
    for (const instance of running) expect(await stopService(instance.service)).toEqual({ code: 0, signal: null });
  });

  it('fails no client request while each instance in turn gets SIGTERM and is started again, under steady load', async () => {
    // One after the other: two first boots at once on a fresh database can deadlock in pg-boss's
    // create_queue (the job engine creates its queues at start), a defect outside this scenario.
    const first = await startInstance();
    const second = await startInstance();
    const { operations } = await complianceTraffic(proxy.url);
    traffic = new FixedRateTraffic(proxy.url, operations, RATE_PER_SECOND);
    traffic.start();
    await Promise.all([servedSome(first), servedSome(second)]);
    // The replacement boots while the stopped one drains, as a Deployment's new pod does.
    const [, firstAgain] = await Promise.all([stopInstance(first), startInstance()]);
    await servedSome(firstAgain);
    const [, secondAgain] = await Promise.all([stopInstance(second), startInstance()]);
    await servedSome(secondAgain);
    const outcomes = await traffic.stop();

    expect({ failed: failedOutcomes(outcomes), upstream: proxy.upstreamErrors }).toEqual({ failed: [], upstream: [] });
    // The load really ran through both drains (a second's worth of requests sent in each).
    for (const drainStart of drainsStartedAt) {
      const sentDuringDrain = outcomes.filter((outcome) => outcome.startedAt >= drainStart && outcome.startedAt < drainStart + DRAIN_MS);
      expect(sentDuringDrain.length).toBeGreaterThanOrEqual(RATE_PER_SECOND);
    }
    expect(drainsStartedAt).toHaveLength(2);
    // Every instance, old and new, really served part of the traffic.
    for (const instance of [first, second, firstAgain, secondAgain]) expect(proxy.routed.get(instance.base) ?? 0).toBeGreaterThanOrEqual(RATE_PER_SECOND);
    const writes = await lostWrites(requireEnv('TEST_APP_DATABASE_URL'), outcomes);
    expect(writes.lost).toEqual([]);
  });
});
