import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseError, type Pool, type QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { withCheckedOutClient } from '../../../database/checked-out-client';
import { TenantSnapshotReader } from '../../../database/tenant-snapshot-reader';
import { tenantScopeSelect } from '../../../database/tenant-transaction';
import type { DispositionRow } from './hit-dispositions';
import { type NewScreening, ScreeningRepository, type ScreeningsToStore } from './screening.repository';
import { TenantBatcher } from './tenant-batcher';

/** Statements in flight at once per kind; while they run, new requests gather into the next group. */
const MAX_IN_FLIGHT = 2;
/** Rows per INSERT (a request's rows always travel together, however many). */
const MAX_ROWS = 1_000;
/** Subjects per read of decisions. */
const MAX_SUBJECTS = 5_000;
/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): PostgreSQL refused some row's values. */
const REFUSED_VALUE = /^2[23]/;

/**
 * PostgreSQL for ad-hoc screenings, with the requests of one moment grouped per tenant: one read
 * of officers' decisions for every subject with hits, one INSERT of every screening (group commit).
 * Each request is answered only once the message holding its rows has committed. At 500
 * screenings/s a transaction per screening took four round trips (BEGIN, role and tenant, INSERT,
 * COMMIT), a WAL flush each, and on this machine's loopback every round trip costs ~0.2 ms of this
 * process's CPU in the socket write alone (bench/screening-http.bench.ts reports CPU per screening).
 *
 * A write is one message of two statements, `set_config` for row-level security and the INSERT,
 * which PostgreSQL runs as one implicit transaction that commits before it answers (protocol docs,
 * "Multiple Statements in a Simple Query"; TenantSnapshotReader does the same for reads). Such a
 * message takes no bind parameters: every value is a literal escaped by pg's own `escapeLiteral`.
 * It goes straight to the pool, not through TypeORM, whose error and slow-query logs would print
 * the statement with the screened names in it.
 */
@Injectable()
export class AdhocScreeningStore {
  private readonly pool: Pool;
  private readonly inserts = new TenantBatcher<ScreeningsToStore, Date>((tenantId, requests) => this.insert(tenantId, requests), {
    maxInFlight: MAX_IN_FLIGHT,
    maxWeight: MAX_ROWS,
    weightOf: (request) => request.rows.length,
    // One request's refused value fails only that request; an outage or a timeout fails the group at once.
    retryAlone: (error) => error instanceof DatabaseError && REFUSED_VALUE.test(error.code ?? ''),
  });
  private readonly decisionReads = new TenantBatcher<readonly string[], DispositionRow[]>(
    (tenantId, subjectKeys) => this.screenings.dispositionsInOneRoundTrip(this.reader, tenantId, subjectKeys.flat()),
    { maxInFlight: MAX_IN_FLIGHT, maxWeight: MAX_SUBJECTS, weightOf: (subjectKeys) => subjectKeys.length },
  );

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly reader: TenantSnapshotReader,
    private readonly screenings: ScreeningRepository,
  ) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * Officers' decisions on hits of these subjects, newest first. A group's read returns the rows of
   * every subject in it; decisions are looked up by subject, so those of other subjects never apply.
   */
  dispositionsFor(tenantId: string, subjectKeys: readonly string[]): Promise<DispositionRow[]> {
    return subjectKeys.length === 0 ? Promise.resolve([]) : this.decisionReads.submit(tenantId, subjectKeys);
  }

  /** Resolves with the screenings' `screened_at` once they are committed; rejects when they are not. */
  store(tenantId: string, screenedBy: string, rows: readonly NewScreening[]): Promise<Date> {
    return this.inserts.submit(tenantId, { screenedBy, rows });
  }

  private insert(tenantId: string, requests: readonly ScreeningsToStore[]): Promise<Date> {
    return withCheckedOutClient(this.pool, async (client) => {
      const literal = (value: string): string => client.escapeLiteral(value);
      // now() is the transaction's start: the instant the INSERT's screened_at default takes too.
      const results = (await client.query(
        `${tenantScopeSelect(literal(tenantId))}, now() AS screened_at; ` +
          this.screenings.insertStatement(literal, tenantId, requests),
      )) as unknown as Array<QueryResult<{ screened_at: Date }>>;
      return (results[0]?.rows[0] as { screened_at: Date }).screened_at;
    });
  }
}
