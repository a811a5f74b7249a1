import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestCaller } from './tokens';

/** A pg Client or the app's DataSource (both log in as the tests' superuser: row-level security does not bind). */
export interface SqlRunner {
  query(sql: string, params: unknown[]): Promise<unknown>;
}

export function charge(externalId: string, venueId: string, amount: number, occurredAt = '2026-03-15T18:00:00Z'): Record<string, unknown> {
  return { externalId, venueId, occurredAt, amount, currency: 'USD', kind: 'charge' };
}

export function refund(externalId: string, original: string, venueId: string, amount: number, occurredAt = '2026-04-01T12:00:00Z'): Record<string, unknown> {
  return { externalId, venueId, occurredAt, amount: -amount, currency: 'USD', kind: 'refund', originalExternalId: original };
}

export function recordTransaction(app: NestFastifyApplication, service: TestCaller, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/v1/tax/transactions', headers: service.headers, payload: body });
}

/**
 * `count` charges of a venue in `year`, spread over the twelve months, adding up to `totalMinor`
 * exactly, written straight into the table (as a bulk backfill would): fast enough to build
 * venues just under and just over thresholds of 200 transactions. The charge that crosses a
 * threshold is then sent through the API, which is where crossings are detected.
 */
export async function insertCharges(db: SqlRunner, tenantId: string, venueId: string, year: number, count: number, totalMinor: number): Promise<void> {
  const each = Math.floor(totalMinor / count);
  const first = totalMinor - each * (count - 1);
  await db.query(
    `INSERT INTO tax_transactions (tenant_id, external_id, venue_id, occurred_at, amount_minor, currency, kind, source, recorded_by)
     SELECT $1, $2 || '-bulk-' || n, $2, make_timestamptz($3, (n % 12) + 1, 15, 12, 0, 0, 'UTC'), CASE WHEN n = 0 THEN $5::bigint ELSE $6::bigint END,
       'USD', 'charge', 'api', 'test-backfill'
     FROM generate_series(0, $4 - 1) AS n`,
    [tenantId, venueId, year, count, first, each],
  );
}
