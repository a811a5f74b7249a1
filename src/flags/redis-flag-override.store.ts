import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { FlagAuditEntry, FlagAuditRepository } from './flag-audit.repository';
import { type FlagOverride, overrideKey, parseStoredOverrides } from './flag-override';
import { FlagOverrideStore } from './flag-override.store';

/** One hash (under the client's key prefix): field = flag or flag@tenant, value = the override as JSON. */
export const FLAG_OVERRIDES_HASH = 'feature-flags:overrides';

/**
 * Overrides in Redis, read by every replica on each refresh (one HGETALL of a few fields). The
 * audit row goes to PostgreSQL in a transaction that commits only after Redis took the write.
 */
export class RedisFlagOverrideStore extends FlagOverrideStore {
  readonly backend = 'redis';

  constructor(
    private readonly redis: Redis,
    private readonly dataSource: DataSource,
    private readonly audit: FlagAuditRepository,
  ) {
    super();
  }

  async loadAll(onInvalid: (raw: string) => void): Promise<FlagOverride[]> {
    return parseStoredOverrides(Object.values(await this.redis.hgetall(FLAG_OVERRIDES_HASH)), onInvalid);
  }

  async save(override: FlagOverride, audit: FlagAuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(manager, audit);
      await this.redis.hset(FLAG_OVERRIDES_HASH, overrideKey(override.flag, override.tenantId), JSON.stringify(override));
    });
  }

  async remove(override: FlagOverride, audit: FlagAuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(manager, audit);
      await this.redis.hdel(FLAG_OVERRIDES_HASH, overrideKey(override.flag, override.tenantId));
    });
  }
}
