import { BulkheadPolicy } from 'cockatiel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BulkheadLease, BulkheadPool } from './bulkhead-pool';
import { BulkheadRejection } from './bulkhead-rejection';

const settled = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

describe('BulkheadPool', () => {
  it('runs up to the limit at once and starts queued callers first in, first out', async () => {
    const pool = new BulkheadPool({ concurrent: 2, queue: 5, queueTimeoutMs: 1_000 });
    const first = await pool.acquire();
    const second = await pool.acquire();
    const started: string[] = [];
    const third = pool.acquire().then((lease) => (started.push('third'), lease));
    const fourth = pool.acquire().then((lease) => (started.push('fourth'), lease));
    await sleep(5);
    expect([pool.activeCount, pool.queuedCount, started]).toEqual([2, 2, []]);
    first.release();
    (await third).release();
    second.release();
    (await fourth).release();
    expect(started).toEqual(['third', 'fourth']);
    expect([pool.activeCount, pool.queuedCount]).toEqual([0, 0]);
  });

  it('refuses at once when the queue is full', async () => {
    const pool = new BulkheadPool({ concurrent: 1, queue: 1, queueTimeoutMs: 1_000 });
    const holder = await pool.acquire();
    const queued = pool.acquire();
    await expect(pool.acquire()).rejects.toMatchObject({ reason: 'queue_full' });
    holder.release();
    (await queued).release();
  });

  it('refuses a caller that waited longer than the queue timeout and frees its place', async () => {
    const rejected: string[] = [];
    const pool = new BulkheadPool({ concurrent: 1, queue: 1, queueTimeoutMs: 30 }, { changed: () => undefined, rejected: (reason) => rejected.push(reason) });
    const holder = await pool.acquire();
    const startedAt = performance.now();
    const waiting = await settled(pool.acquire());
    expect(waiting).toEqual({ error: expect.any(BulkheadRejection) });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(25);
    expect(pool.queuedCount).toBe(0);
    holder.release();
    expect(pool.activeCount).toBe(0);
    (await pool.acquire()).release();
    expect(rejected).toEqual(['queue_timeout']);
  });

  it('drops a queued caller whose client went away at once, and starts the one behind it when a slot frees', async () => {
    const pool = new BulkheadPool({ concurrent: 1, queue: 2, queueTimeoutMs: 1_000 });
    const holder = await pool.acquire();
    const gone = new AbortController();
    const abandoned = settled(pool.acquire(gone.signal));
    const behind = pool.acquire();
    gone.abort();
    expect(await abandoned).toEqual({ error: expect.objectContaining({ reason: 'client_aborted' }) });
    expect(pool.queuedCount).toBe(1);
    holder.release();
    const lease: BulkheadLease = await behind;
    expect(pool.activeCount).toBe(1);
    lease.release();
  });

  it('frees a slot once however often it is released', async () => {
    const pool = new BulkheadPool({ concurrent: 1, queue: 1, queueTimeoutMs: 1_000 });
    const lease = await pool.acquire();
    lease.release();
    lease.release();
    expect(pool.activeCount).toBe(0);
    const again = await pool.acquire();
    expect(pool.activeCount).toBe(1);
    again.release();
  });

  it('refuses a caller whose client is already gone', async () => {
    const pool = new BulkheadPool({ concurrent: 1, queue: 1, queueTimeoutMs: 1_000 });
    await expect(pool.acquire(AbortSignal.abort())).rejects.toMatchObject({ reason: 'client_aborted' });
    expect(pool.activeCount).toBe(0);
  });

  // Why BulkheadPool exists: if this starts failing after a cockatiel upgrade, reconsider using it.
  it('is needed because cockatiel 3.2.1 strands the next queued call behind an aborted one', async () => {
    const policy = new BulkheadPolicy(1, 2);
    const holder = policy.execute(() => sleep(30));
    const gone = new AbortController();
    const abandoned = settled(policy.execute(() => 'never', gone.signal));
    const behind = policy.execute(() => 'ran');
    gone.abort();
    await holder;
    await abandoned;
    expect(await Promise.race([behind, sleep(200).then(() => 'still waiting with a free slot')])).toBe('still waiting with a free slot');
    expect(policy.executionSlots).toBe(1);
  });
});
