import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CursorPosition, decodeCursor, type Page, pageOf } from '../../common/pagination';
import { RequestContext } from '../../common/request-context';
import type { RequestPrincipal } from '../../common/request-principal';
import { type TenantTransaction, TenantTransactions } from '../../database/tenant-transaction';
import { auditHash, type ChainedAuditContent, personalDigest } from './audit-chain';
import { verifyAuditChain } from './audit-chain.verifier';
import type { AuditActor, AuditEntry, AuditRecordView, ChainVerification } from './audit-entry';
import { maskForAudit } from './audit-masking';
import { type AuditFilter, AuditRepository, type AuditRow } from './audit.repository';

/**
 * The one way any module writes the audit log: `record(tx, entry)` inside the transaction that
 * makes the change, so the change and its entry commit or roll back together. Entries are chained
 * per tenant (audit-chain.ts); sensitive values are masked before they are stored or hashed.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly context: RequestContext,
    private readonly transactions: TenantTransactions,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Call as the transaction's last write (see AuditRepository.lockHead). */
  async record(tx: TenantTransaction, entry: AuditEntry, actor: AuditActor = this.actorFromRequest()): Promise<void> {
    if (entry.personal !== undefined && entry.subjectId === undefined) throw new Error(`Audit entry ${entry.action} has personal values but names no subject`);
    const personal = entry.personal === undefined ? undefined : maskForAudit(entry.personal);
    const salt = entry.subjectId === undefined || personal === undefined ? undefined : await this.repository.subjectSalt(tx, actor.tenantId, entry.subjectId, randomBytes(32));
    const head = await this.repository.lockHead(tx, actor.tenantId);
    const content: ChainedAuditContent = {
      tenantId: actor.tenantId,
      seq: head.seq + 1,
      actor: actor.actor,
      actorRoles: [...actor.actorRoles],
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      requestId: actor.requestId,
      before: maskForAudit(entry.before ?? null),
      after: maskForAudit(entry.after ?? null),
      // Whole milliseconds: what a JS Date keeps, so the hash recomputes from the stored value.
      occurredAt: new Date(),
      subjectId: entry.subjectId,
      personalDigest: salt === undefined ? undefined : personalDigest(salt, personal).toString('hex'),
    };
    const auditId = await this.repository.append(tx, content, head.hash, auditHash(content, head.hash));
    if (entry.subjectId !== undefined && personal !== undefined) await this.repository.storePersonal(tx, auditId, actor.tenantId, entry.subjectId, personal);
  }

  /** Every entry about the subject, for its access export. */
  async aboutSubject(tx: TenantTransaction, tenantId: string, subjectId: string): Promise<AuditRecordView[]> {
    return (await this.repository.aboutSubject(tx, tenantId, subjectId)).map(toView);
  }

  /** Erasure: destroys the subject's personal values and salt; answers how many entries lost them. */
  shredSubject(tx: TenantTransaction, tenantId: string, subjectId: string): Promise<number> {
    return this.repository.shredSubject(tx, tenantId, subjectId);
  }

  async list(principal: RequestPrincipal, filter: AuditFilter, cursor: string | undefined, limit: number): Promise<Page<AuditRecordView>> {
    const after = decodeCursor(cursor);
    const rows = await this.transactions.withTenantTransaction(principal, (tx) => this.repository.list(tx, principal.tenantId, filter, after, limit));
    return pageOf(rows, limit, toView, (row): CursorPosition => ({ key: row.occurred_at.toISOString(), id: row.id }));
  }

  verifyTenant(principal: RequestPrincipal): Promise<ChainVerification> {
    return this.transactions.withTenantTransaction(principal, (tx) => verifyAuditChain(this.repository, tx, principal.tenantId));
  }

  /** Every tenant's chain, as the table owner (outside row-level security): `npm run audit:verify`. */
  async verifyAll(): Promise<ChainVerification[]> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const results: ChainVerification[] = [];
      for (const tenantId of await this.repository.chainedTenants(tx)) results.push(await verifyAuditChain(this.repository, tx, tenantId));
      return results;
    });
  }

  private actorFromRequest(): AuditActor {
    const principal = this.context.principal();
    return { tenantId: principal.tenantId, actor: principal.userId, actorRoles: principal.roles, requestId: this.context.requestId() ?? null };
  }
}

function toView(row: AuditRow): AuditRecordView {
  return {
    id: row.id,
    seq: row.seq === null ? null : Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actor: row.actor,
    actorRoles: row.actor_roles ?? [],
    action: row.action,
    resourceType: row.entity_type,
    resourceId: row.entity_id,
    requestId: row.request_id,
    before: row.before_state,
    after: row.after_state,
    subjectId: row.subject_id,
    personal: row.personal ?? null,
    personalErased: row.personal_digest !== null && row.salt === null,
  };
}
