import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from './redis-throttler.storage';

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

/**
 * The counters of one instance when there is no Redis, with the Redis script's semantics (a fixed
 * window per key that starts with its first hit; the hit past the limit starts the block, during
 * which requests are refused uncounted), so a limit means the same with and without Redis.
 * Ours rather than @nestjs/throttler's ThrottlerStorageService: that one keeps one timestamp per
 * hit and filters the whole list on every request, so a caller with a high limit costs O(hits)
 * per request and its garbage grows with the rate (seen in `npm run bench:payout`).
 * Expired windows are dropped by a sweep at most once per `sweepIntervalMs`, done inline.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepIntervalMs = 60_000,
  ) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window !== undefined && window.blockedUntil > now) {
      return Promise.resolve(this.record(window, now, true, window.blockedUntil - now));
    }
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    }
    window.hits += 1;
    if (window.hits <= limit) return Promise.resolve(this.record(window, now, false, 0));
    if (blockDuration <= 0) return Promise.resolve(this.record(window, now, true, window.endsAt - now));
    window.blockedUntil = now + blockDuration;
    return Promise.resolve(this.record(window, now, true, blockDuration));
  }

  private record(window: Window, now: number, isBlocked: boolean, blockLeftMs: number): ThrottlerStorageRecord {
    return { totalHits: window.hits, timeToExpire: Math.ceil(Math.max(window.endsAt - now, 0) / 1000), isBlocked, timeToBlockExpire: Math.ceil(blockLeftMs / 1000) };
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.sweepIntervalMs;
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}
