import { Injectable } from '@nestjs/common';
import type { RequestPrincipal } from '../../../common/request-principal';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { ReportItem, TaxReport, TaxSummary } from '../dto/tax.dto';
import { TaxFormRepository } from '../forms/tax-form.repository';
import { TaxLedgerRepository, type VenueYearTotals } from '../tax-ledger.repository';
import { jurisdictionsMet } from '../tax-thresholds';
import { VenueLedgerReader } from '../venue-ledger.reader';

/**
 * What officers read: one venue's year against every threshold of that year, and the year's list
 * of venues that require a Form 1099-K (meeting the federal threshold or any state's). No EIN is
 * read here. Another tenant's venue reads as a venue without transactions (row-level security).
 */
@Injectable()
export class TaxReportsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly ledger: TaxLedgerRepository,
    private readonly venueLedger: VenueLedgerReader,
    private readonly forms: TaxFormRepository,
    private readonly verifications: VerificationsService,
  ) {}

  summary(principal: RequestPrincipal, venueId: string, year: number): Promise<TaxSummary> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const standing = await this.venueLedger.taxYear(tx, principal.tenantId, venueId, year);
      return { venueId, taxYear: year, currency: 'USD', ...standing, requiresForm: standing.thresholds.some((status) => status.met) };
    });
  }

  report(principal: RequestPrincipal, year: number): Promise<TaxReport> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const qualifying = await this.qualifying(tx, principal.tenantId, year);
      const venueIds = qualifying.map(({ totals }) => totals.venueId);
      const payees = await this.verifications.payeesForTaxReporting(tx, principal.tenantId, venueIds);
      // The latest form per venue: corrections sort after what they correct.
      const latestForm = new Map((await this.forms.listForYear(tx, principal.tenantId, year)).map((form) => [form.venue_id, form.id]));
      const items = qualifying.map(({ totals, jurisdictions }): ReportItem => ({
        venueId: totals.venueId,
        legalName: payees.get(totals.venueId)?.legalName ?? null,
        grossMinor: totals.grossMinor,
        transactions: totals.transactions,
        reversedMinor: totals.reversedMinor,
        jurisdictions,
        formId: latestForm.get(totals.venueId) ?? null,
      }));
      return { taxYear: year, currency: 'USD', items };
    });
  }

  /** How many of the tenant's venues are over a threshold of the year (federal or a state's), in the caller's transaction. */
  async countVenuesOverThreshold(tx: TenantTransaction, tenantId: string, year: number): Promise<number> {
    return (await this.qualifying(tx, tenantId, year)).length;
  }

  private async qualifying(tx: TenantTransaction, tenantId: string, year: number): Promise<Array<{ totals: VenueYearTotals; jurisdictions: string[] }>> {
    const thresholds = await this.ledger.thresholds(tx, year);
    return (await this.ledger.venueTotals(tx, tenantId, year))
      .map((totals) => ({ totals, jurisdictions: jurisdictionsMet(totals, thresholds) }))
      .filter(({ jurisdictions }) => jurisdictions.length > 0);
  }
}
