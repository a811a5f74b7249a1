import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TenantTransaction } from '../../database/tenant-transaction';
import type { TaxThreshold, TaxTotals } from './tax-thresholds';
import { type LedgerPeriod, type LedgerTotals, type MonthlyAggregate, type TaxTransactionKind, taxYearBounds } from './tax-totals';

export type TaxTransactionSource = 'api' | 'stripe' | 'platform';

export interface TaxTransactionRow {
  id: string;
  external_id: string;
  venue_id: string;
  occurred_at: Date;
  amount_minor: string;
  currency: string;
  kind: TaxTransactionKind;
  original_external_id: string | null;
  source: TaxTransactionSource;
  recorded_at: Date;
}

export interface NewTaxTransaction {
  tenantId: string;
  externalId: string;
  venueId: string;
  occurredAt: Date;
  amountMinor: number;
  currency: string;
  kind: TaxTransactionKind;
  originalExternalId: string | null;
  source: TaxTransactionSource;
  recordedBy: string;
}

export interface VenueYearTotals extends TaxTotals {
  venueId: string;
  reversedMinor: number;
}

const COLUMNS = 'id, external_id, venue_id, occurred_at, amount_minor, currency, kind, original_external_id, source, recorded_at';

/** Charges are the reportable transactions; refunds and chargebacks are summed apart (see tax-totals.ts). */
const TOTALS_COLUMNS = `
    coalesce(sum(amount_minor) FILTER (WHERE kind = 'charge'), 0)::text AS gross,
    count(*) FILTER (WHERE kind = 'charge')::int AS transactions,
    coalesce(-sum(amount_minor) FILTER (WHERE kind IN ('refund', 'chargeback')), 0)::text AS reversed`;

interface TotalsRow {
  gross: string;
  transactions: number;
  reversed: string;
}

function ledgerTotals(row: TotalsRow): LedgerTotals {
  const grossMinor = Number(row.gross);
  const reversedMinor = Number(row.reversed);
  return { grossMinor, transactions: row.transactions, reversedMinor, netMinor: grossMinor - reversedMinor };
}

/** Only USD counts toward Form 1099-K (see tax-totals.ts). */
const MONTHLY_SQL = `
  SELECT extract(month FROM occurred_at AT TIME ZONE 'UTC')::int AS month, ${TOTALS_COLUMNS}
  FROM tax_transactions
  WHERE tenant_id = $1 AND venue_id = $2 AND occurred_at >= $3 AND occurred_at < $4 AND currency = 'USD'
  GROUP BY 1`;

/** The only code that touches tax_transactions and tax_thresholds. */
@Injectable()
export class TaxLedgerRepository {
  /** Undefined when the tenant already has this external id (the caller compares). */
  async insert(tx: TenantTransaction, transaction: NewTaxTransaction): Promise<TaxTransactionRow | undefined> {
    const rows: TaxTransactionRow[] = await tx.query(
      `INSERT INTO tax_transactions (tenant_id, external_id, venue_id, occurred_at, amount_minor, currency, kind, original_external_id, source, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        transaction.tenantId, transaction.externalId, transaction.venueId, transaction.occurredAt, transaction.amountMinor,
        transaction.currency, transaction.kind, transaction.originalExternalId, transaction.source, transaction.recordedBy,
      ],
    );
    return rows[0];
  }

  async find(tx: TenantTransaction, tenantId: string, externalId: string): Promise<TaxTransactionRow | undefined> {
    const rows: TaxTransactionRow[] = await tx.query(`SELECT ${COLUMNS} FROM tax_transactions WHERE tenant_id = $1 AND external_id = $2`, [tenantId, externalId]);
    return rows[0];
  }

  /** What refunds and chargebacks have reversed of a charge so far, as a positive amount. */
  async reversedOf(tx: TenantTransaction, tenantId: string, externalId: string): Promise<number> {
    const rows: Array<{ reversed: string }> = await tx.query(
      "SELECT coalesce(-sum(amount_minor), 0)::text AS reversed FROM tax_transactions WHERE tenant_id = $1 AND original_external_id = $2 AND kind IN ('refund', 'chargeback')",
      [tenantId, externalId],
    );
    return Number(rows[0]?.reversed ?? 0);
  }

  /**
   * Serialises writes that read a venue's ledger before deciding (threshold crossings, reversal
   * caps): a transaction-scoped advisory lock, since the application role may not lock rows of an
   * insert-only table. Unrelated keys that hash alike only wait for each other.
   */
  async lock(tx: TenantTransaction, key: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`tax-ledger:${key}`]);
  }

  async thresholds(tx: TenantTransaction, year: number): Promise<TaxThreshold[]> {
    const rows: Array<{ jurisdiction: string; tax_year: number; gross_minor: string; transactions: string | null; source: string }> = await tx.query(
      "SELECT jurisdiction, tax_year, gross_minor, transactions, source FROM tax_thresholds WHERE tax_year = $1 AND form = '1099-K' ORDER BY jurisdiction <> 'US', jurisdiction",
      [year],
    );
    return rows.map((row) => ({
      jurisdiction: row.jurisdiction,
      taxYear: row.tax_year,
      grossMinor: Number(row.gross_minor),
      transactions: row.transactions === null ? null : Number(row.transactions),
      source: row.source,
    }));
  }

  async monthly(tx: TenantTransaction, tenantId: string, venueId: string, year: number): Promise<MonthlyAggregate[]> {
    const { from, to } = taxYearBounds(year);
    const rows: Array<{ month: number; gross: string; transactions: number; reversed: string }> = await tx.query(MONTHLY_SQL, [tenantId, venueId, from, to]);
    return rows.map((row) => ({ month: row.month, grossMinor: Number(row.gross), transactions: row.transactions, reversedMinor: Number(row.reversed) }));
  }

  async chargeTotals(tx: TenantTransaction, tenantId: string, venueId: string, year: number): Promise<TaxTotals> {
    const { from, to } = taxYearBounds(year);
    const rows: Array<{ gross: string; transactions: number }> = await tx.query(
      `SELECT coalesce(sum(amount_minor), 0)::text AS gross, count(*)::int AS transactions FROM tax_transactions
       WHERE tenant_id = $1 AND venue_id = $2 AND occurred_at >= $3 AND occurred_at < $4 AND currency = 'USD' AND kind = 'charge'`,
      [tenantId, venueId, from, to],
    );
    return { grossMinor: Number(rows[0]?.gross ?? 0), transactions: rows[0]?.transactions ?? 0 };
  }

  /**
   * The venue's USD totals in each period (keyed as given), in one statement: periods may overlap
   * and need not lie in one tax year. A period without transactions has zero totals.
   */
  async periodTotals<K extends string>(tx: TenantTransaction, tenantId: string, venueId: string, periods: Readonly<Record<K, LedgerPeriod>>): Promise<Record<K, LedgerTotals>> {
    const keys = Object.keys(periods) as K[];
    const rows: Array<TotalsRow & { ordinal: string }> = await tx.query(
      `SELECT span.ordinal::text AS ordinal, ${TOTALS_COLUMNS}
       FROM unnest($3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS span (from_at, to_at, ordinal)
       LEFT JOIN tax_transactions ON tenant_id = $1 AND venue_id = $2 AND currency = 'USD' AND occurred_at >= span.from_at AND occurred_at < span.to_at
       GROUP BY span.ordinal`,
      [tenantId, venueId, keys.map((key) => periods[key].from.toISOString()), keys.map((key) => periods[key].to.toISOString())],
    );
    const byOrdinal = new Map(rows.map((row) => [Number(row.ordinal), ledgerTotals(row)]));
    return Object.fromEntries(keys.map((key, index) => [key, byOrdinal.get(index + 1) as LedgerTotals])) as Record<K, LedgerTotals>;
  }

  /**
   * Every tenant with a transaction in the year, for the yearly form generation: read as the
   * login role (`owner`, outside row-level security), which is what can see every tenant.
   */
  async tenantsWithTransactions(owner: EntityManager, year: number): Promise<string[]> {
    const { from, to } = taxYearBounds(year);
    const rows: Array<{ tenant_id: string }> = await owner.query(
      'SELECT DISTINCT tenant_id::text AS tenant_id FROM tax_transactions WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY tenant_id',
      [from, to],
    );
    return rows.map((row) => row.tenant_id);
  }

  /**
   * The year's USD charge totals of every venue of every tenant, without ids: read as the login role
   * (`owner`, outside row-level security) for the 1099-K metric, which reports a count only.
   */
  async chargeTotalsAcrossTenants(owner: EntityManager, year: number): Promise<TaxTotals[]> {
    const { from, to } = taxYearBounds(year);
    const rows: Array<{ gross: string; transactions: number }> = await owner.query(
      `SELECT sum(amount_minor)::text AS gross, count(*)::int AS transactions FROM tax_transactions
       WHERE occurred_at >= $1 AND occurred_at < $2 AND currency = 'USD' AND kind = 'charge'
       GROUP BY tenant_id, venue_id`,
      [from, to],
    );
    return rows.map((row) => ({ grossMinor: Number(row.gross), transactions: row.transactions }));
  }

  /** Every venue with a USD charge or reversal in the year, by venue id. */
  async venueTotals(tx: TenantTransaction, tenantId: string, year: number): Promise<VenueYearTotals[]> {
    const { from, to } = taxYearBounds(year);
    const rows: Array<TotalsRow & { venue_id: string }> = await tx.query(
      `SELECT venue_id, ${TOTALS_COLUMNS}
       FROM tax_transactions
       WHERE tenant_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND currency = 'USD' AND kind <> 'transfer'
       GROUP BY venue_id ORDER BY venue_id`,
      [tenantId, from, to],
    );
    return rows.map((row) => ({ venueId: row.venue_id, grossMinor: Number(row.gross), transactions: row.transactions, reversedMinor: Number(row.reversed) }));
  }
}
