import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { withCheckedOutClient } from './checked-out-client';
import { tenantScopeSelect } from './tenant-transaction';

/**
 * One read under row-level security in **one round trip**, for the hottest path (payout
 * eligibility). A TenantTransactions transaction costs four round trips through TypeORM (BEGIN,
 * role and tenant, query, COMMIT). Here two statements travel as one simple-protocol message,
 * which PostgreSQL runs as one implicit transaction (protocol docs, "Multiple Statements in a
 * Simple Query"): the transaction-local role and tenant bind the read and vanish with it, and a
 * failure rolls the whole message back. Such a message cannot carry bind parameters, so values
 * are escaped as literals by pg itself; use it only for reads whose parameters are validated
 * (UUIDs, ids matching a strict pattern). Measured with `npm run bench:payout`.
 */
@Injectable()
export class TenantSnapshotReader {
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  /** `sql` uses `$1…$n` for `params`, like a parameterised query. */
  query<T>(tenantId: string, sql: string, params: string[]): Promise<T[]> {
    return withCheckedOutClient(this.pool, async (client) => {
      const literal = (value: string): string => client.escapeLiteral(value);
      const statement = sql.replace(/\$(\d+)/g, (_match, index: string) => literal(params[Number(index) - 1] ?? ''));
      const results = (await client.query(
        `${tenantScopeSelect(literal(tenantId))}; ${statement}`,
      )) as unknown as QueryResult[];
      return (results[1]?.rows ?? []) as T[];
    });
  }
}
