import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FlagAuditRepository } from './flag-audit.repository';
import type { FlagName } from './flag-names';
import { type FlagOverride, type FlagRule, flagOverrideSchema, overrideKey } from './flag-override';

/** Every override as of one committed generation (a counter of changes). */
export interface StoredOverrides {
  generation: number;
  overrides: FlagOverride[];
}

export interface OverrideWrite {
  flag: FlagName;
  tenantId: string | null;
  actor: string;
  requestId: string;
}

/** What a write found and left: the rule it replaced (read under a row lock) and the state after it. */
export interface OverrideWriteResult {
  previous: FlagRule | null;
  after: StoredOverrides;
}

interface OverrideRow {
  generation: string;
  flag: string | null;
  tenant_id: string | null;
  rule: unknown;
  updated_by: string | null;
  updated_at: Date | null;
}

/** One statement, so the generation and the rows come from one snapshot even under READ COMMITTED. */
const SNAPSHOT_SQL = `
  SELECT g.generation::text AS generation, o.flag, o.tenant_id, o.rule, o.updated_by, o.updated_at
  FROM feature_flag_generation g LEFT JOIN feature_flag_overrides o ON true
  ORDER BY o.override_key`;

/**
 * The record of runtime overrides: feature_flag_overrides, with the audit_log row of every change
 * in the same transaction. Writers lock the generation row first, which orders every change (a key
 * that has no row yet cannot be locked), then read `previous` from the override row FOR UPDATE.
 */
@Injectable()
export class FlagOverrideRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: FlagAuditRepository,
  ) {}

  /** Rows that no longer parse (a flag since removed) are reported through `onInvalid` and skipped. */
  async load(onInvalid: (raw: string) => void): Promise<StoredOverrides> {
    return snapshotOf(await this.dataSource.query(SNAPSHOT_SQL), onInvalid);
  }

  async save(write: OverrideWrite, rule: FlagRule): Promise<OverrideWriteResult> {
    return this.dataSource.transaction(async (manager) => {
      const previous = await this.lockAndReadPrevious(manager, write);
      await manager.query(
        `INSERT INTO feature_flag_overrides (override_key, flag, tenant_id, rule, updated_by, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, now())
         ON CONFLICT (override_key) DO UPDATE SET rule = EXCLUDED.rule, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [overrideKey(write.flag, write.tenantId), write.flag, write.tenantId, JSON.stringify(rule), write.actor],
      );
      await this.audit.record(manager, { action: 'feature_flag.override_set', ...write, previous, next: rule });
      return { previous, after: await this.nextGeneration(manager) };
    });
  }

  /** Null when there was no such override: nothing is written, not even an audit row. */
  async remove(write: OverrideWrite): Promise<OverrideWriteResult | null> {
    return this.dataSource.transaction(async (manager) => {
      const previous = await this.lockAndReadPrevious(manager, write);
      if (previous === null) return null;
      await manager.query('DELETE FROM feature_flag_overrides WHERE override_key = $1', [overrideKey(write.flag, write.tenantId)]);
      await this.audit.record(manager, { action: 'feature_flag.override_cleared', ...write, previous, next: null });
      return { previous, after: await this.nextGeneration(manager) };
    });
  }

  private async lockAndReadPrevious(manager: EntityManager, write: OverrideWrite): Promise<FlagRule | null> {
    await manager.query('SELECT generation FROM feature_flag_generation FOR UPDATE');
    const rows: Array<{ rule: FlagRule }> = await manager.query('SELECT rule FROM feature_flag_overrides WHERE override_key = $1 FOR UPDATE', [
      overrideKey(write.flag, write.tenantId),
    ]);
    return rows[0]?.rule ?? null;
  }

  private async nextGeneration(manager: EntityManager): Promise<StoredOverrides> {
    await manager.query('UPDATE feature_flag_generation SET generation = generation + 1');
    // Read inside the transaction: exactly the state this change committed, whatever this replica had seen.
    return snapshotOf(await manager.query(SNAPSHOT_SQL), () => undefined);
  }
}

function snapshotOf(rows: OverrideRow[], onInvalid: (raw: string) => void): StoredOverrides {
  const overrides: FlagOverride[] = [];
  for (const row of rows) {
    if (row.flag === null) continue;
    const candidate = { flag: row.flag, tenantId: row.tenant_id, rule: row.rule, updatedBy: row.updated_by, updatedAt: row.updated_at?.toISOString() };
    const parsed = flagOverrideSchema.safeParse(candidate);
    if (parsed.success) overrides.push(parsed.data);
    else onInvalid(JSON.stringify(candidate));
  }
  return { generation: Number(rows[0]?.generation ?? 0), overrides };
}
