import type { BulkheadPoolConfig } from '../../config/bulkhead-pools';
import { BulkheadRejection, type BulkheadRejectionReason } from './bulkhead-rejection';


/** A slot held by one call; `release` may be called any number of times, it frees the slot once. */
export interface BulkheadLease {
  release(): void;
}

export interface BulkheadObserver {
  changed(active: number, queued: number): void;
  rejected(reason: BulkheadRejectionReason): void;
}

interface Waiter {
  resolve(lease: BulkheadLease): void;
  reject(error: BulkheadRejection): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort(): void;
}

/**
 * A bulkhead: at most `concurrent` calls at once, then a first-in-first-out queue of `queue`
 * callers, each waiting at most `queueTimeoutMs`. Not cockatiel's BulkheadPolicy (3.2.1), which
 * cannot do this: it has no queue timeout, and a caller that aborts while queued keeps its queue
 * place until a slot frees; when that caller then reaches the head it is dropped without starting
 * the next one, which waits with a slot free (bulkhead-pool.spec.ts reproduces it).
 */
export class BulkheadPool {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly limits: BulkheadPoolConfig,
    private readonly observer: BulkheadObserver = { changed: () => undefined, rejected: () => undefined },
  ) {}

  get activeCount(): number {
    return this.active;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }

  /** Resolves with a lease once a slot is free; rejects with a BulkheadRejection. */
  acquire(signal?: AbortSignal): Promise<BulkheadLease> {
    if (signal?.aborted === true) return this.refuse('client_aborted');
    if (this.active < this.limits.concurrent && this.waiting.length === 0) {
      this.active += 1;
      this.observer.changed(this.active, this.waiting.length);
      return Promise.resolve(this.newLease());
    }
    if (this.waiting.length >= this.limits.queue) return this.refuse('queue_full');
    return new Promise<BulkheadLease>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => this.drop(waiter, 'queue_timeout'), this.limits.queueTimeoutMs),
        onAbort: () => this.drop(waiter, 'client_aborted'),
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
      this.observer.changed(this.active, this.waiting.length);
    });
  }

  private newLease(): BulkheadLease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.active -= 1;
        this.startNext();
      },
    };
  }

  private startNext(): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      this.stopWaiting(next);
      this.active += 1;
      next.resolve(this.newLease());
    }
    this.observer.changed(this.active, this.waiting.length);
  }

  private drop(waiter: Waiter, reason: BulkheadRejectionReason): void {
    const index = this.waiting.indexOf(waiter);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    this.stopWaiting(waiter);
    this.observer.changed(this.active, this.waiting.length);
    this.observer.rejected(reason);
    waiter.reject(new BulkheadRejection(reason));
  }

  private stopWaiting(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  private refuse(reason: BulkheadRejectionReason): Promise<never> {
    this.observer.rejected(reason);
    return Promise.reject(new BulkheadRejection(reason));
  }
}
