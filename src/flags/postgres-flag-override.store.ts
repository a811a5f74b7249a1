import type { DataSource } from 'typeorm';
import type { FlagAuditEntry, FlagAuditRepository } from './flag-audit.repository';
import { type FlagOverride, overrideKey, parseStoredOverrides } from './flag-override';
import { FlagOverrideStore } from './flag-override.store';

/** app_settings keys of flag overrides: `feature-flag:<flag>` or `feature-flag:<flag>@<tenant>`. */
const KEY_PREFIX = 'feature-flag:';

/**
 * Overrides in app_settings when Redis is not configured; the override and its audit row commit in
 * one transaction. Every replica reads them on each refresh (a scan of a handful of rows).
 */
export class PostgresFlagOverrideStore extends FlagOverrideStore {
  readonly backend = 'postgresql';

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: FlagAuditRepository,
  ) {
    super();
  }

  async loadAll(onInvalid: (raw: string) => void): Promise<FlagOverride[]> {
    const rows: Array<{ value: string }> = await this.dataSource.query(
      `SELECT value::text AS value FROM app_settings WHERE key LIKE $1`,
      [`${KEY_PREFIX}%`],
    );
    return parseStoredOverrides(rows.map((row) => row.value), onInvalid);
  }

  async save(override: FlagOverride, audit: FlagAuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO app_settings (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, now())
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [KEY_PREFIX + overrideKey(override.flag, override.tenantId), JSON.stringify(override), override.updatedBy],
      );
      await this.audit.record(manager, audit);
    });
  }

  async remove(override: FlagOverride, audit: FlagAuditEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM app_settings WHERE key = $1', [KEY_PREFIX + overrideKey(override.flag, override.tenantId)]);
      await this.audit.record(manager, audit);
    });
  }
}
