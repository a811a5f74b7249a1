import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';

/** The only code that touches webhook_events. */
@Injectable()
export class WebhookInboxRepository {
  /**
   * Claims the event for this transaction; false when it was stored before. A concurrent delivery
   * of the same event waits here on the unique index until the first commits (then false) or
   * rolls back (then true).
   */
  async claim(tx: TenantTransaction, tenantId: string, source: string, eventId: string, type: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO webhook_events (tenant_id, source, event_id, type) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
      [tenantId, source, eventId, type],
    );
    return rows[0]?.id;
  }

  async markProcessed(tx: TenantTransaction, tenantId: string, id: string): Promise<void> {
    await tx.query('UPDATE webhook_events SET processed_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
  }
}
