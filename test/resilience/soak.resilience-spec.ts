import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT } from '../helpers/cli';
import { failedOutcomes } from './support/fixed-rate-traffic';
import { type MemorySample, MemorySampler } from './support/memory-sampler';
import { ServiceUnderLoad } from './support/service-under-load';

/** `SOAK_MINUTES=30 npm run test:resilience -- soak` for a long run; CI runs one minute. */
const MINUTES = Number(process.env.SOAK_MINUTES ?? '1');
const DURATION_MS = MINUTES * 60_000;
const WARM_UP_MS = Math.min(20_000, DURATION_MS / 3);
/** The first and the last stretch after warm-up, compared. */
const WINDOW_MS = Math.min(20_000, (DURATION_MS - WARM_UP_MS) / 2);
const RATE_PER_SECOND = 20;
const MAX_GROWTH = 0.1;

/**
 * V8 collects the old generation only when it has grown by a factor of its own choosing: at this
 * rate the first major collection came after ~100 s, and until then heap and RSS climb ~20 % with
 * garbage, which in a one-minute run reads exactly like a leak. With a 10 % growing factor the old
 * generation is collected whenever it grows by 10 %, so heap in use follows what is really retained.
 */
const NODE_ARGS = ['--heap-growing-percent=10', join(ROOT, 'dist', 'index.js')];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const within = (samples: MemorySample[], from: number, to: number) => samples.filter((sample) => sample.at >= from && sample.at <= to);

/**
 * RSS by the median of each window; heap by its minimum, the floor of the young generation's saw
 * tooth (what survives the scavenges), which is what a leak raises.
 */
function growth(samples: MemorySample[]): { rss: number; heap: number } {
  const first = within(samples, WARM_UP_MS, WARM_UP_MS + WINDOW_MS);
  const last = within(samples, DURATION_MS - WINDOW_MS, DURATION_MS);
  if (first.length < 5 || last.length < 5) throw new Error(`Too few memory samples (${first.length}, ${last.length}): the machine is too loaded to sample every second`);
  const ratio = (pick: (window: MemorySample[]) => number) => pick(last) / pick(first) - 1;
  return {
    rss: ratio((window) => median(window.map((sample) => sample.rssBytes))),
    heap: ratio((window) => Math.min(...window.map((sample) => sample.heapUsedBytes))),
  };
}

describe(`soak: ${MINUTES} min of fixed-rate mixed traffic (SOAK_MINUTES)`, () => {
  let loaded: ServiceUnderLoad;
  let sampler: MemorySampler | undefined;

  beforeAll(async () => {
    loaded = await ServiceUnderLoad.start({}, NODE_ARGS);
  });

  afterAll(async () => {
    await sampler?.stop();
    expect(await loaded?.stop()).toEqual({ code: 0, signal: null });
  });

  it(`serves every request and grows RSS and heap by less than ${MAX_GROWTH * 100} % after warm-up`, async () => {
    const { pid } = loaded.service;
    if (pid === undefined) throw new Error('the service process has no pid');
    const { traffic, probes } = await loaded.startTraffic(RATE_PER_SECOND);
    sampler = new MemorySampler(pid, loaded.base, 1_000);
    sampler.start();
    await sleep(DURATION_MS);
    const outcomes = await traffic.stop();
    const samples = await sampler.stop();
    await probes.stop();

    const grown = growth(samples);
    console.log(`soak ${MINUTES} min at ${RATE_PER_SECOND}/s: ${outcomes.length} requests, RSS ${percent(grown.rss)}, heap ${percent(grown.heap)} after warm-up`);
    expect(loaded.crash).toBeUndefined();
    expect(failedOutcomes(outcomes)).toEqual([]);
    expect(probes.others('/health/live', 200)).toEqual([]);
    // Open loop: the traffic was really sent at the rate, not slowed down by a struggling service.
    expect(outcomes.length).toBeGreaterThan(0.9 * RATE_PER_SECOND * (DURATION_MS / 1_000));
    expect(grown.rss).toBeLessThan(MAX_GROWTH);
    expect(grown.heap).toBeLessThan(MAX_GROWTH);
  }, DURATION_MS + 120_000);
});

function percent(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)} %`;
}
