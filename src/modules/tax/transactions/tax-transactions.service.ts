import { Injectable } from '@nestjs/common';
import type { RequestPrincipal } from '../../../common/request-principal';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { DomainEventsService } from '../../events/domain-events.service';
import type { RecordTaxTransaction, TaxTransactionView } from '../dto/tax.dto';
import { ReversalExceedsOriginalError, TaxTransactionConflictError, UnknownOriginalTransactionError } from '../tax.errors';
import { TaxLedgerRepository, type TaxTransactionRow, type TaxTransactionSource } from '../tax-ledger.repository';
import { thresholdStatus } from '../tax-thresholds';
import { isReversal, taxYearOf } from '../tax-totals';

export const THRESHOLD_CROSSED_EVENT = 'tax.threshold_crossed';

export interface RecordedTaxTransaction {
  transaction: TaxTransactionView;
  /** False when the external id was recorded before with the same values (an idempotent repeat). */
  created: boolean;
}

/**
 * Records payment transactions, idempotently by (tenant, external id), from the API and from
 * webhooks (which call `recordIn` inside the transaction that stores their event). A charge that
 * takes its venue over a threshold of its year records `tax.threshold_crossed` once per venue,
 * year and jurisdiction.
 */
@Injectable()
export class TaxTransactionsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly ledger: TaxLedgerRepository,
    private readonly events: DomainEventsService,
  ) {}

  record(principal: RequestPrincipal, input: RecordTaxTransaction): Promise<RecordedTaxTransaction> {
    return this.transactions.withTenantTransaction(principal, (tx) => this.recordIn(tx, principal.tenantId, input, 'api', principal.userId));
  }

  async recordIn(tx: TenantTransaction, tenantId: string, input: RecordTaxTransaction, source: TaxTransactionSource, recordedBy: string): Promise<RecordedTaxTransaction> {
    if (isReversal(input.kind)) {
      // Before reading: two reversals of one charge must not both fit under its amount.
      await this.ledger.lock(tx, `${tenantId}:${input.originalExternalId ?? ''}`);
    }
    const existing = await this.ledger.find(tx, tenantId, input.externalId);
    if (existing !== undefined) return { transaction: sameOrConflict(existing, input), created: false };
    if (isReversal(input.kind)) await this.checkReversal(tx, tenantId, input);
    const row = await this.ledger.insert(tx, {
      tenantId,
      externalId: input.externalId,
      venueId: input.venueId,
      occurredAt: new Date(input.occurredAt),
      amountMinor: input.amount,
      currency: input.currency,
      kind: input.kind,
      originalExternalId: input.originalExternalId ?? null,
      source,
      recordedBy,
    });
    if (row === undefined) {
      // A concurrent request inserted the same external id first (the unique constraint decided).
      return { transaction: sameOrConflict((await this.ledger.find(tx, tenantId, input.externalId)) as TaxTransactionRow, input), created: false };
    }
    if (row.kind === 'charge' && row.currency === 'USD') await this.recordCrossings(tx, tenantId, row);
    return { transaction: toView(row), created: true };
  }

  /**
   * A source that reports refunds as a charge's cumulative refunded amount (Stripe's
   * `charge.refunded`): records the charge if it is new (events may arrive out of order), then a
   * refund of the difference to what is already reversed, named by the cumulative amount so a
   * redelivery names the same refund. A smaller cumulative amount than recorded (an older event
   * arriving late) changes nothing.
   */
  async recordCumulativeRefund(
    tx: TenantTransaction,
    tenantId: string,
    charge: RecordTaxTransaction,
    amountRefundedMinor: number,
    refundedAt: string,
    source: TaxTransactionSource,
    recordedBy: string,
  ): Promise<void> {
    await this.recordIn(tx, tenantId, charge, source, recordedBy);
    await this.ledger.lock(tx, `${tenantId}:${charge.externalId}`);
    const increase = amountRefundedMinor - (await this.ledger.reversedOf(tx, tenantId, charge.externalId));
    if (increase <= 0) return;
    await this.recordIn(
      tx,
      tenantId,
      { externalId: `${charge.externalId}/refunded/${amountRefundedMinor}`, venueId: charge.venueId, occurredAt: refundedAt, amount: -increase, currency: charge.currency, kind: 'refund', originalExternalId: charge.externalId },
      source,
      recordedBy,
    );
  }

  private async checkReversal(tx: TenantTransaction, tenantId: string, input: RecordTaxTransaction): Promise<void> {
    const originalId = input.originalExternalId as string;
    const original = await this.ledger.find(tx, tenantId, originalId);
    if (original === undefined || original.kind !== 'charge' || original.venue_id !== input.venueId || original.currency !== input.currency) {
      throw new UnknownOriginalTransactionError(originalId, input.venueId);
    }
    const remaining = Number(original.amount_minor) - (await this.ledger.reversedOf(tx, tenantId, originalId));
    if (-input.amount > remaining) throw new ReversalExceedsOriginalError(originalId, remaining);
  }

  /**
   * Totals only grow (refunds do not reduce the gross: tax-totals.ts), so a threshold once met
   * stays met and its event is final. The lock makes concurrent charges of one venue and year
   * see each other's rows, so none of them misses the crossing.
   */
  private async recordCrossings(tx: TenantTransaction, tenantId: string, row: TaxTransactionRow): Promise<void> {
    const year = taxYearOf(row.occurred_at);
    const thresholds = await this.ledger.thresholds(tx, year);
    const keyOf = (jurisdiction: string): string => `${year}/${jurisdiction}/${row.venue_id}`;
    const crossed = await this.events.alreadyRecorded(tx, tenantId, THRESHOLD_CROSSED_EVENT, thresholds.map((threshold) => keyOf(threshold.jurisdiction)));
    const open = thresholds.filter((threshold) => !crossed.has(keyOf(threshold.jurisdiction)));
    if (open.length === 0) return;
    await this.ledger.lock(tx, `${tenantId}:${row.venue_id}:${year}`);
    const totals = await this.ledger.chargeTotals(tx, tenantId, row.venue_id, year);
    for (const threshold of open) {
      const status = thresholdStatus(totals, threshold);
      if (!status.met) continue;
      await this.events.record(tx, tenantId, {
        type: THRESHOLD_CROSSED_EVENT,
        dedupKey: keyOf(threshold.jurisdiction),
        resourceKey: `venue:${row.venue_id}`,
        payload: {
          venueId: row.venue_id,
          taxYear: year,
          jurisdiction: threshold.jurisdiction,
          grossMinor: totals.grossMinor,
          transactions: totals.transactions,
          grossThresholdMinor: threshold.grossMinor,
          transactionThreshold: threshold.transactions,
          crossedBy: row.external_id,
        },
      });
    }
  }
}

function sameOrConflict(existing: TaxTransactionRow, input: RecordTaxTransaction): TaxTransactionView {
  const differences = [
    existing.venue_id !== input.venueId && 'venueId',
    existing.occurred_at.getTime() !== new Date(input.occurredAt).getTime() && 'occurredAt',
    Number(existing.amount_minor) !== input.amount && 'amount',
    existing.currency !== input.currency && 'currency',
    existing.kind !== input.kind && 'kind',
    existing.original_external_id !== (input.originalExternalId ?? null) && 'originalExternalId',
  ].filter((field): field is string => field !== false);
  if (differences.length > 0) throw new TaxTransactionConflictError(input.externalId, differences);
  return toView(existing);
}

export function toView(row: TaxTransactionRow): TaxTransactionView {
  return {
    id: row.id,
    externalId: row.external_id,
    venueId: row.venue_id,
    occurredAt: row.occurred_at.toISOString(),
    amount: Number(row.amount_minor),
    currency: row.currency,
    kind: row.kind,
    originalExternalId: row.original_external_id,
    source: row.source,
    recordedAt: row.recorded_at.toISOString(),
  };
}
