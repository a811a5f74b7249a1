interface Waiter<Item, Result> {
  item: Item;
  done: (result: Result) => void;
  failed: (error: unknown) => void;
}

export interface TenantBatcherOptions<Item> {
  /** Groups running at once; while that many run, new items gather into the next group. */
  maxInFlight: number;
  /** Most total weight per group (a single item heavier than this still goes, alone). */
  maxWeight: number;
  weightOf: (item: Item) => number;
  /** When a group of several fails with this error, each item is run alone so it fails only its own caller. */
  retryAlone?: (error: unknown) => boolean;
}

/**
 * Runs the items callers submit for the same tenant in one call of `run`: those submitted during
 * one turn of the event loop, and all those submitted while `maxInFlight` groups were running.
 * Under load a group grows to what arrived during one round trip; alone, an item waits for
 * nothing but the end of the current turn. Each caller gets the group's result, or its error.
 */
export class TenantBatcher<Item, Result> {
  private readonly waiting = new Map<string, Array<Waiter<Item, Result>>>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (tenantId: string, items: Item[]) => Promise<Result>,
    private readonly options: TenantBatcherOptions<Item>,
  ) {}

  submit(tenantId: string, item: Item): Promise<Result> {
    return new Promise((done, failed) => {
      const queue = this.waiting.get(tenantId) ?? [];
      if (queue.length === 0) this.waiting.set(tenantId, queue);
      queue.push({ item, done, failed });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.waiting.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.size > 0) {
      const [tenantId, queue] = this.waiting.entries().next().value as [string, Array<Waiter<Item, Result>>];
      const group = this.take(queue);
      // A tenant with more left goes to the back, so one busy tenant cannot hold up the others.
      this.waiting.delete(tenantId);
      if (queue.length > 0) this.waiting.set(tenantId, queue);
      this.inFlight++;
      void this.runGroup(tenantId, group).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  /** Whole items from the front of `queue`, up to maxWeight (at least one). */
  private take(queue: Array<Waiter<Item, Result>>): Array<Waiter<Item, Result>> {
    let weight = 0;
    let count = 0;
    while (count < queue.length) {
      const next = this.options.weightOf(queue[count]!.item);
      if (count > 0 && weight + next > this.options.maxWeight) break;
      weight += next;
      count++;
    }
    return queue.splice(0, count);
  }

  private async runGroup(tenantId: string, group: ReadonlyArray<Waiter<Item, Result>>): Promise<void> {
    let result: Result;
    try {
      result = await this.run(tenantId, group.map((waiter) => waiter.item));
    } catch (error) {
      if (group.length > 1 && this.options.retryAlone?.(error) === true) {
        for (const waiter of group) await this.runGroup(tenantId, [waiter]);
      } else {
        for (const waiter of group) waiter.failed(error);
      }
      return;
    }
    for (const waiter of group) waiter.done(result);
  }
}
