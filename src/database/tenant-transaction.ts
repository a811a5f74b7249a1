import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestPrincipal } from '../common/request-principal';

/** The role of migrations/1796000000000-CreateApplicationRole.ts: no BYPASSRLS, owns nothing. */
export const APPLICATION_ROLE = 'compliance_app';

/**
 * The scope of a tenant transaction as the start of a simple-query message, for statements sent
 * straight to the pool: PostgreSQL runs a message's statements as one implicit transaction, so the
 * transaction-local settings bind what follows. Such a message takes no bind parameters:
 * `tenantLiteral` is already escaped (pg's `escapeLiteral`). Ends without `;`, so a caller may add columns.
 */
export function tenantScopeSelect(tenantLiteral: string): string {
  return `SELECT set_config('role', '${APPLICATION_ROLE}', true), set_config('app.tenant_id', ${tenantLiteral}, true)`;
}

/** A transaction in which row-level security restricts every table to one tenant. */
export type TenantTransaction = EntityManager;

/**
 * Opens a transaction as the application role with `app.tenant_id` set, both transaction-local
 * (`set_config(..., true)` is `SET LOCAL`), so the pooled connection returns clean. The login role
 * may be a superuser or the tables' owner (tests, small deployments), and both bypass row-level
 * security even when FORCEd; switching role is what makes the policies bind.
 */
@Injectable()
export class TenantTransactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  withTenantTransaction<T>(principal: Pick<RequestPrincipal, 'tenantId'>, work: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query("SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)", [APPLICATION_ROLE, principal.tenantId]);
      return work(tx);
    });
  }
}

/**
 * Lets this transaction read records restricted by an erasure (migration
 * 1797400180000-RestrictErasedSubjectRecords): only for the erasure itself, a compliance manager's
 * reasoned read, and obligations the restriction exists for (Form 1099-K generation). Transaction-local.
 */
export async function revealRestricted(tx: TenantTransaction): Promise<void> {
  await tx.query("SELECT set_config('app.read_restricted', 'on', true)");
}
