import { TenantBatcher } from './tenant-batcher';

interface Call {
  tenantId: string;
  items: string[];
  finish: (result: string) => void;
  fail: (error: Error) => void;
}

/** A batcher whose groups finish only when the test says so, recording every call of `run`. */
function controlledBatcher(options: { maxInFlight?: number; maxWeight?: number; retryAlone?: (error: unknown) => boolean } = {}) {
  const calls: Call[] = [];
  const batcher = new TenantBatcher<string, string>(
    (tenantId, items) => new Promise((finish, fail) => calls.push({ tenantId, items, finish, fail })),
    { maxInFlight: options.maxInFlight ?? 2, maxWeight: options.maxWeight ?? 100, weightOf: (item) => item.length, retryAlone: options.retryAlone },
  );
  return { batcher, calls };
}

const turn = () => new Promise((done) => setImmediate(done));

describe('TenantBatcher', () => {
  it('runs what one tenant submits in one turn of the event loop as one group, and answers every caller with its result', async () => {
    const { batcher, calls } = controlledBatcher();
    const answers = Promise.all(['a', 'b', 'c'].map((item) => batcher.submit('t1', item)));
    await turn();
    expect(calls.map(({ tenantId, items }) => ({ tenantId, items }))).toEqual([{ tenantId: 't1', items: ['a', 'b', 'c'] }]);
    calls[0]!.finish('stored');
    await expect(answers).resolves.toEqual(['stored', 'stored', 'stored']);
  });

  it('never puts two tenants in one group', async () => {
    const { batcher, calls } = controlledBatcher();
    void batcher.submit('t1', 'a');
    void batcher.submit('t2', 'b');
    void batcher.submit('t1', 'c');
    await turn();
    expect(calls.map(({ tenantId, items }) => [tenantId, items])).toEqual([['t1', ['a', 'c']], ['t2', ['b']]]);
  });

  it('gathers what arrives while maxInFlight groups run into the next group, started when one finishes', async () => {
    const { batcher, calls } = controlledBatcher({ maxInFlight: 1 });
    const first = batcher.submit('t1', 'a');
    await turn();
    const later = ['b', 'c', 'd'].map((item) => batcher.submit('t1', item));
    await turn();
    expect(calls).toHaveLength(1);
    calls[0]!.finish('first');
    await expect(first).resolves.toBe('first');
    await turn();
    expect(calls.map((call) => call.items)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1]!.finish('second');
    await expect(Promise.all(later)).resolves.toEqual(['second', 'second', 'second']);
  });

  it('splits groups at maxWeight without splitting an item, and sends an item heavier than that alone', async () => {
    const { batcher, calls } = controlledBatcher({ maxInFlight: 10, maxWeight: 4 });
    for (const item of ['aa', 'bb', 'c', 'dddddd', 'e']) void batcher.submit('t1', item);
    await turn();
    await turn();
    await turn();
    expect(calls.map((call) => call.items)).toEqual([['aa', 'bb'], ['c'], ['dddddd'], ['e']]);
  });

  it('lets another tenant go before the rest of a busy tenant\'s queue', async () => {
    const { batcher, calls } = controlledBatcher({ maxInFlight: 1, maxWeight: 1 });
    for (const item of ['a', 'b', 'c']) void batcher.submit('busy', item);
    void batcher.submit('quiet', 'q');
    await turn();
    calls[0]!.finish('done');
    await turn();
    await turn();
    expect(calls.map((call) => call.tenantId)).toEqual(['busy', 'quiet']);
  });

  it('fails every caller of a failed group with its error', async () => {
    const { batcher, calls } = controlledBatcher({ retryAlone: () => false });
    const answers = Promise.allSettled(['a', 'b'].map((item) => batcher.submit('t1', item)));
    await turn();
    calls[0]!.fail(new Error('connection lost'));
    expect((await answers).map((answer) => (answer.status === 'rejected' ? (answer.reason as Error).message : answer.value))).toEqual(['connection lost', 'connection lost']);
    expect(calls).toHaveLength(1);
  });

  it('runs each item alone after a group failure retryAlone accepts, so only the item at fault fails', async () => {
    const { batcher, calls } = controlledBatcher({ retryAlone: (error) => error instanceof Error && error.message === 'refused value' });
    const answers = Promise.allSettled(['good', 'bad', 'fine'].map((item) => batcher.submit('t1', item)));
    await turn();
    calls[0]!.fail(new Error('refused value'));
    for (let alone = 1; alone <= 3; alone++) {
      await turn();
      const call = calls[alone]!;
      if (call.items[0] === 'bad') call.fail(new Error('refused value'));
      else call.finish(`stored ${call.items[0]}`);
    }
    expect(calls.slice(1).map((call) => call.items)).toEqual([['good'], ['bad'], ['fine']]);
    expect((await answers).map((answer) => (answer.status === 'rejected' ? (answer.reason as Error).message : answer.value))).toEqual(['stored good', 'refused value', 'stored fine']);
  });
});
