import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Pool } from 'pg';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export const DATABASE_QUERY_DURATION = 'database_query_duration_seconds';
export const DATABASE_QUERY_ERRORS = 'database_query_errors_total';

/** TypeORM keeps the pg Pool on its driver; it is undefined before `initialize` and after `destroy`. */
function poolOf(dataSource: DataSource): Pool | undefined {
  return (dataSource.driver as PostgresDriver).master as Pool | undefined;
}

/** A gauge read from the live pg pool at scrape time, so it costs nothing between scrapes. */
function poolGauge(name: string, help: string, read: (pool: Pool) => number) {
  return makeGaugeProvider({
    name,
    help,
    inject: [DataSource],
    collect(this: Gauge, dataSource: DataSource) {
      const pool = poolOf(dataSource);
      this.set(pool === undefined ? 0 : read(pool));
    },
  });
}

/**
 * The guide's `database_connection_pool_size` (< 90%) and what its threshold needs: utilisation is
 * `in_use / max`. Open-but-idle connections do not count against it; pg keeps them for 10 s.
 */
export const databaseMetricProviders = [
  poolGauge('database_connection_pool_size', 'Connections open in the pool (in use + idle)', (pool) => pool.totalCount),
  poolGauge('database_connection_pool_max', 'Most connections the pool may open (DATABASE_POOL_SIZE)', (pool) => pool.options.max),
  poolGauge('database_connection_pool_in_use', 'Connections checked out by queries or transactions', (pool) => pool.totalCount - pool.idleCount),
  poolGauge('database_connection_pool_idle', 'Open connections waiting for work', (pool) => pool.idleCount),
  poolGauge('database_connection_pool_waiting', 'Queries queued for a connection because the pool is exhausted', (pool) => pool.waitingCount),
  makeHistogramProvider({
    name: DATABASE_QUERY_DURATION,
    help: 'Duration of successful queries (TypeORM measures whole milliseconds)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeCounterProvider({
    name: DATABASE_QUERY_ERRORS,
    help: 'Queries that failed (SQL errors, timeouts, lost connections)',
  }),
];
