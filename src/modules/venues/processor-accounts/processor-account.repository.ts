import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { PaymentProcessor, ProcessorAccountState } from './processor-account';

export interface StoredProcessorAccount extends ProcessorAccountState {
  eventId: string;
  reportedAt: Date;
}

interface ProcessorAccountRow {
  processor: PaymentProcessor;
  account_id: string;
  payouts_enabled: boolean | null;
  disabled_reason: string | null;
  past_due: string[];
  event_id: string;
  reported_at: Date;
}

const COLUMNS = 'processor, account_id, payouts_enabled, disabled_reason, past_due, event_id, reported_at';

/** The only code that touches venue_processor_accounts. */
@Injectable()
export class ProcessorAccountRepository {
  async forVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<StoredProcessorAccount[]> {
    const rows: ProcessorAccountRow[] = await tx.query(`SELECT ${COLUMNS} FROM venue_processor_accounts WHERE tenant_id = $1 AND venue_id = $2 ORDER BY processor`, [tenantId, venueId]);
    return rows.map(fromRow);
  }

  /**
   * Stores the report unless the stored one was created at the same time or later (Stripe's
   * `created` counts seconds: of two reports in one second, the first applied stays). Returns
   * whether it was stored.
   */
  async saveIfNewer(tx: TenantTransaction, tenantId: string, venueId: string, account: StoredProcessorAccount): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO venue_processor_accounts (tenant_id, venue_id, ${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, venue_id, processor) DO UPDATE SET account_id = EXCLUDED.account_id, payouts_enabled = EXCLUDED.payouts_enabled,
         disabled_reason = EXCLUDED.disabled_reason, past_due = EXCLUDED.past_due, event_id = EXCLUDED.event_id, reported_at = EXCLUDED.reported_at, updated_at = now()
       WHERE venue_processor_accounts.reported_at < EXCLUDED.reported_at
       RETURNING 1`,
      [tenantId, venueId, account.processor, account.accountId, account.payoutsEnabled, account.disabledReason, account.pastDue, account.eventId, account.reportedAt],
    );
    return rows.length > 0;
  }
}

function fromRow(row: ProcessorAccountRow): StoredProcessorAccount {
  return {
    processor: row.processor,
    accountId: row.account_id,
    payoutsEnabled: row.payouts_enabled,
    disabledReason: row.disabled_reason,
    pastDue: row.past_due,
    eventId: row.event_id,
    reportedAt: row.reported_at,
  };
}
