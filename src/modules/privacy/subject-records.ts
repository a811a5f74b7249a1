import { Injectable } from '@nestjs/common';
import { changedRowCount } from '../../database/changed-row-count';
import type { TenantTransaction } from '../../database/tenant-transaction';
import { AuditService } from '../audit/audit.service';
import type { SubjectDocument } from './dto/privacy.dto';
import type { RetentionRule } from './retention-rules';
import { SUBJECT_DATA_MAP } from './subject-data-map';

export interface ErasureOutcome {
  /** Rows per table, by what happened to them. */
  deleted: Record<string, number>;
  anonymised: Record<string, number>;
  restricted: Record<string, { rows: number; rule: RetentionRule }>;
  /** Audit entries whose personal values were destroyed with the subject's salt. */
  auditEntriesShredded: number;
}

/**
 * Reads and erases a subject's records along SUBJECT_DATA_MAP, inside the caller's tenant
 * transaction, which must have revealed restricted rows: an export shows what is held (restricted
 * rows included, marked), and an erasure reaches rows restricted by an earlier one.
 */
@Injectable()
export class SubjectRecords {
  constructor(private readonly audit: AuditService) {}

  async document(tx: TenantTransaction, tenantId: string, subjectId: string, now: Date): Promise<SubjectDocument> {
    const records: SubjectDocument['records'] = {};
    for (const set of SUBJECT_DATA_MAP) records[set.name] = jsonRows(await tx.query(set.exportSql, [tenantId, subjectId]));
    const auditEntries = jsonRows(await this.audit.aboutSubject(tx, tenantId, subjectId));
    return { subjectId, tenantId, generatedAt: now.toISOString(), records, auditEntries };
  }

  async erase(tx: TenantTransaction, tenantId: string, subjectId: string): Promise<ErasureOutcome> {
    const outcome: ErasureOutcome = { deleted: {}, anonymised: {}, restricted: {}, auditEntriesShredded: 0 };
    for (const set of SUBJECT_DATA_MAP) {
      for (const step of set.erasure) {
        const changed = await changedRowCount(tx, step.sql, [tenantId, subjectId]);
        if (step.outcome === 'restricted') outcome.restricted[set.table] = { rows: (outcome.restricted[set.table]?.rows ?? 0) + changed, rule: step.rule };
        else outcome[step.outcome][set.table] = (outcome[step.outcome][set.table] ?? 0) + changed;
      }
    }
    outcome.auditEntriesShredded = await this.audit.shredSubject(tx, tenantId, subjectId);
    return outcome;
  }
}

/** Rows as JSON has them (dates as ISO strings), so the stored export and the response agree. */
function jsonRows(rows: readonly object[]): Array<Record<string, unknown>> {
  return JSON.parse(JSON.stringify(rows)) as Array<Record<string, unknown>>;
}
