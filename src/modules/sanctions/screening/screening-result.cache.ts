import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type Redis from 'ioredis';
import type { AppConfig } from '../../../config/app-config';
import { REDIS_CLIENT } from '../../../redis/redis.constants';
import { NameNormalizer } from '../matching/name.normalizer';
import type { ScreeningQuery } from '../matching/sanctions-matching.model';
import type { ScreeningHit } from './screening-hit';

/**
 * Screening results in Redis, keyed by the normalised query and the list versions, so names that
 * normalise alike share an entry and a new list version never reads an old result. Without Redis,
 * or when Redis fails, every lookup is a miss: the matcher is the source of truth, the cache only
 * spares it repeated names (tenants screening the same counterparties, batch retries).
 */
@Injectable()
export class ScreeningResultCache {
  private readonly logger = new Logger('ScreeningCache');
  private readonly normalizer = new NameNormalizer();
  private readonly ttlSeconds: number;
  private readonly thresholds: string;
  private lastWarning = 0;
  private lookups: Array<{ keys: readonly string[]; answer: (values: Array<ScreeningHit[] | undefined>) => void }> = [];
  private writes: Array<[string, string]> = [];
  private scheduled = false;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: ConfigService<AppConfig, true>,
  ) {
    const sanctions = config.get('sanctions', { infer: true });
    this.ttlSeconds = sanctions.cacheTtlSeconds;
    // Hits carry their outcome: instances with other thresholds (a rollout changing them) never share results.
    this.thresholds = `${sanctions.matchThresholds.potentialMatchThreshold},${sanctions.matchThresholds.matchThreshold}`;
  }

  keyOf(listVersion: string, query: ScreeningQuery, lists: ReadonlySet<string> | undefined): string {
    const material = JSON.stringify([
      this.normalizer.normalize(query.name).tokens.join(' '), query.type ?? null, query.countries ?? [], query.dateOfBirth ?? null,
      lists === undefined ? null : [...lists].sort(),
    ]);
    return `sanctions:screening:${listVersion}:${this.thresholds}:${createHash('sha256').update(material).digest('base64url')}`;
  }

  /** Undefined where there is no (usable) entry; the lookups of one event-loop turn share a round trip. */
  getMany(keys: readonly string[]): Promise<Array<ScreeningHit[] | undefined>> {
    if (!this.usable() || keys.length === 0) return Promise.resolve(keys.map(() => undefined));
    return new Promise((answer) => {
      this.lookups.push({ keys, answer });
      this.schedule();
    });
  }

  /**
   * Stores results without making the caller wait: the cache only spares work, and a result it
   * lacks is matched again. Written with the next round trip of lookups.
   */
  setMany(entries: ReadonlyArray<[string, ScreeningHit[]]>): void {
    if (!this.usable() || entries.length === 0) return;
    for (const [key, hits] of entries) this.writes.push([key, JSON.stringify(hits)]);
    this.schedule();
  }

  private usable(): boolean {
    return this.redis !== null && this.redis.status === 'ready';
  }

  /**
   * After this turn of the event loop: every screening that reached the cache in it shares one
   * pipeline (one write and one read on the socket). Per screening, separate MGET and SET round
   * trips cost more of this process's CPU than matching a name (bench/screening-http.bench.ts).
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const lookups = this.lookups;
    const writes = this.writes;
    this.lookups = [];
    this.writes = [];
    const misses = () => lookups.forEach((lookup) => lookup.answer(lookup.keys.map(() => undefined)));
    if (this.redis === null || !this.usable()) return misses();
    const pipeline = this.redis.pipeline();
    for (const [key, value] of writes) pipeline.set(key, value, 'EX', this.ttlSeconds);
    if (lookups.length > 0) pipeline.mget(...lookups.flatMap((lookup) => lookup.keys));
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      this.warn(error);
      return misses();
    }
    const failed = replies?.find(([error]) => error !== null)?.[0];
    if (failed) this.warn(failed);
    if (lookups.length === 0) return;
    const [error, values] = replies?.[replies.length - 1] ?? [null, null];
    if (error !== null || !Array.isArray(values)) return misses();
    let at = 0;
    try {
      for (const lookup of lookups) {
        lookup.answer(lookup.keys.map(() => {
          const value = values[at++] as string | null;
          return value === null ? undefined : (JSON.parse(value) as ScreeningHit[]);
        }));
      }
    } catch (unreadable) {
      // A promise keeps its first answer: the lookups answered already keep theirs.
      this.warn(unreadable);
      misses();
    }
  }

  /** Once a minute at most: an outage must not flood the logs from the hot path. */
  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Screening cache unavailable, screening without it: ${error instanceof Error ? error.message : String(error)}`);
  }
}
