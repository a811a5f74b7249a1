import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import type { Counter } from 'prom-client';
import { IntervalWarning } from '../../common/interval-warning';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What a check answers when Redis cannot: let the request through (fail open), with no headers. */
export const FAIL_OPEN_RECORD: ThrottlerStorageRecord = Object.freeze({ totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 });

const WARNING_INTERVAL_MS = 60_000;

/**
 * A fixed window per key, atomically in one script: while the block key lives the request is
 * refused uncounted; otherwise the hit is counted (the window starts with the first hit), and the
 * hit past the limit sets the block. Both keys share a hash tag, so it also runs on Redis Cluster.
 * Returns hits, window ms left, blocked (0/1), block ms left.
 */
const INCREMENT_SCRIPT = `
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or ARGV[2]), math.max(redis.call('PTTL', KEYS[1]), 0), 1, blockLeft}
end
local hits = redis.call('INCR', KEYS[1])
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  windowLeft = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  local block = tonumber(ARGV[3])
  if block <= 0 then return {hits, windowLeft, 1, windowLeft} end
  redis.call('SET', KEYS[2], '1', 'PX', block)
  return {hits, windowLeft, 1, block}
end
return {hits, windowLeft, 0, 0}
`;

interface ThrottleCommand {
  complianceThrottle(hitsKey: string, blockKey: string, ttlMs: number, limit: number, blockMs: number): Promise<[number, number, number, number]>;
}

/**
 * Rate-limit counters in Redis, so the limit holds across replicas (the in-memory default gives N
 * replicas N times the limit). Ours rather than @nest-lab/throttler-storage-redis: its 1.2.0 peers
 * on Nest ≤ 11, so installing it beside Nest 12 needs --legacy-peer-deps, for what is one script.
 * Redis failing or slower than `timeoutMs` fails open: the request is served, the failure counted
 * in rate_limit_storage_errors_total and logged at most once a minute.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly warning = new IntervalWarning(new Logger('RateLimit'), WARNING_INTERVAL_MS);
  private readonly redis: Redis & ThrottleCommand;

  constructor(
    redis: Redis,
    private readonly timeoutMs: number,
    private readonly errors: Counter,
  ) {
    redis.defineCommand('complianceThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = redis as Redis & ThrottleCommand;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    try {
      const [totalHits, windowLeftMs, blocked, blockLeftMs] = await this.withinTimeout(
        this.redis.complianceThrottle(`throttle:{${key}}`, `throttle:{${key}}:blocked`, ttl, limit, blockDuration),
      );
      this.warning.recovered('Rate limiting uses Redis again');
      return {
        totalHits,
        timeToExpire: Math.ceil(windowLeftMs / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockLeftMs / 1000),
      };
    } catch (error) {
      this.errors.inc();
      this.warning.warn(`Rate limiting fails open: Redis did not answer (${(error as Error).message})`);
      return FAIL_OPEN_RECORD;
    }
  }

  private async withinTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
