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
  private lastWarning = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlSeconds = config.get('sanctions', { infer: true }).cacheTtlSeconds;
  }

  keyOf(listVersion: string, query: ScreeningQuery, lists: ReadonlySet<string> | undefined): string {
    const material = JSON.stringify([
      this.normalizer.normalize(query.name).tokens.join(' '), query.type ?? null, query.countries ?? [], query.dateOfBirth ?? null,
      lists === undefined ? null : [...lists].sort(),
    ]);
    return `sanctions:screening:${listVersion}:${createHash('sha256').update(material).digest('base64url')}`;
  }

  /** One round trip for any number of keys; undefined where there is no (usable) entry. */
  async getMany(keys: readonly string[]): Promise<Array<ScreeningHit[] | undefined>> {
    if (this.redis === null || this.redis.status !== 'ready' || keys.length === 0) return keys.map(() => undefined);
    try {
      const values = await this.redis.mget(...keys);
      return values.map((value) => (value === null ? undefined : (JSON.parse(value) as ScreeningHit[])));
    } catch (error) {
      this.warn(error);
      return keys.map(() => undefined);
    }
  }

  async setMany(entries: ReadonlyArray<[string, ScreeningHit[]]>): Promise<void> {
    if (this.redis === null || this.redis.status !== 'ready' || entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const [key, hits] of entries) pipeline.set(key, JSON.stringify(hits), 'EX', this.ttlSeconds);
    await pipeline.exec().catch((error: unknown) => this.warn(error));
  }

  /** Once a minute at most: an outage must not flood the logs from the hot path. */
  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Screening cache unavailable, screening without it: ${error instanceof Error ? error.message : String(error)}`);
  }
}
