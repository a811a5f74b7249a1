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

  /** Undefined where there is no (usable) entry; the lookups of one event-loop turn share one MGET. */
  getMany(keys: readonly string[]): Promise<Array<ScreeningHit[] | undefined>> {
    if (!this.usable() || keys.length === 0) return Promise.resolve(keys.map(() => undefined));
    return new Promise((answer) => {
      this.lookups.push({ keys, answer });
      this.schedule();
    });
  }

  /**
   * Stores results without making the caller wait: the cache only spares work, and a result it
   * lacks is matched again. One SET each, not an ioredis pipeline: a pipeline object per flush
   * cost twice the CPU of plain commands and, living past young-generation collections, filled
   * the old generation (a major GC every 5 s at 500 screenings/s, each delaying requests by ~100 ms;
   * README "Screening latency and the Redis client").
   */
  setMany(entries: ReadonlyArray<[string, ScreeningHit[]]>): void {
    if (this.redis === null || !this.usable()) return;
    for (const [key, hits] of entries) this.redis.set(key, JSON.stringify(hits), 'EX', this.ttlSeconds).catch((error: unknown) => this.warn(error));
  }

  private usable(): boolean {
    return this.redis !== null && this.redis.status === 'ready';
  }

  /** After this turn of the event loop, so every screening that looked up in it shares one MGET. */
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
    this.lookups = [];
    const misses = () => lookups.forEach((lookup) => lookup.answer(lookup.keys.map(() => undefined)));
    if (this.redis === null || !this.usable()) return misses();
    let values: Array<string | null>;
    try {
      values = await this.redis.mget(lookups.flatMap((lookup) => lookup.keys));
    } catch (error) {
      this.warn(error);
      return misses();
    }
    let at = 0;
    try {
      for (const lookup of lookups) {
        lookup.answer(lookup.keys.map(() => {
          const value = values[at++];
          return value === null || value === undefined ? undefined : (JSON.parse(value) as ScreeningHit[]);
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
