import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import { FieldCipher } from '../../../crypto/field-cipher';
import { revealRestricted, type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import type { AuditActor } from '../../audit/audit-entry';
import { AuditService } from '../../audit/audit.service';
import { VerificationsService } from '../../venues/verifications/verifications.service';
import type { GenerateResult, TaxFormView } from '../dto/tax.dto';
import { FormAlreadyCorrectedError, NoTaxThresholdError, PayeeUnknownError } from '../tax.errors';
import { TaxLedgerRepository } from '../tax-ledger.repository';
import { FEDERAL_JURISDICTION, jurisdictionsMet, type TaxThreshold } from '../tax-thresholds';
import { yearTotals } from '../tax-totals';
import { TaxFormRepository, type TaxFormRow } from './tax-form.repository';

const PROGRESS_EVERY = 25;

type VenueOutcome = 'generated' | 'alreadyGenerated' | 'skippedWithoutPayee';

/**
 * Form 1099-K records. The one place the payee's EIN is decrypted: it is opened from the venue's
 * latest submission and sealed again into the form row (under the current key), and responses
 * show only its last four digits. Generation runs one transaction per venue (form and audit entry
 * commit together), so an interrupted run resumes where it stopped; the partial unique index on
 * (tenant, venue, year) makes a second run, or a concurrent one, change nothing. Generation and
 * corrections read records an erasure restricted (the IRS obligation they are kept for), and a
 * form filed for such a payee is restricted as it is written.
 */
@Injectable()
export class TaxFormsService {
  private readonly logger = new Logger(TaxFormsService.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly ledger: TaxLedgerRepository,
    private readonly forms: TaxFormRepository,
    private readonly verifications: VerificationsService,
    private readonly audit: AuditService,
    private readonly cipher: FieldCipher,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The tenants the yearly generation job visits: those with a transaction in the year. */
  tenantsWithTransactions(year: number): Promise<string[]> {
    return this.ledger.tenantsWithTransactions(this.dataSource.manager, year);
  }

  /** `actor` names who audits when no request does (the yearly job); by default, the request's caller. */
  async generate(principal: RequestPrincipal, year: number, actor?: AuditActor): Promise<GenerateResult> {
    const { thresholds, pending, qualifying } = await this.transactions.withTenantTransaction(principal, async (tx) => {
      await revealRestricted(tx);
      const yearThresholds = await this.ledger.thresholds(tx, year);
      if (!yearThresholds.some((threshold) => threshold.jurisdiction === FEDERAL_JURISDICTION)) throw new NoTaxThresholdError(year);
      const venues = (await this.ledger.venueTotals(tx, principal.tenantId, year)).filter((totals) => jurisdictionsMet(totals, yearThresholds).length > 0);
      const done = await this.forms.venuesWithOriginal(tx, principal.tenantId, year);
      return { thresholds: yearThresholds, qualifying: venues.length, pending: venues.map((venue) => venue.venueId).filter((venueId) => !done.has(venueId)) };
    });
    const result: GenerateResult = { taxYear: year, qualifying, generated: 0, alreadyGenerated: qualifying - pending.length, skippedWithoutPayee: 0 };
    this.logger.log({ tenantId: principal.tenantId, taxYear: year, qualifying, pending: pending.length }, 'Generating Form 1099-K records');
    for (const [index, venueId] of pending.entries()) {
      const outcome = await this.transactions.withTenantTransaction(principal, async (tx) => {
        await revealRestricted(tx);
        return this.generateOne(tx, principal, venueId, year, thresholds, actor);
      });
      result[outcome] += 1;
      if ((index + 1) % PROGRESS_EVERY === 0) this.logger.log({ tenantId: principal.tenantId, taxYear: year, done: index + 1, of: pending.length }, 'Form 1099-K generation progress');
    }
    this.logger.log({ tenantId: principal.tenantId, ...result }, 'Form 1099-K generation finished');
    return result;
  }

  list(principal: RequestPrincipal, year: number): Promise<TaxFormView[]> {
    return this.transactions.withTenantTransaction(principal, async (tx) => (await this.forms.listForYear(tx, principal.tenantId, year)).map(toFormView));
  }

  /** A correction is a new form linked to the one it corrects, computed from today's data. */
  correct(principal: RequestPrincipal, id: string): Promise<TaxFormView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      // Filing and correcting forms is what an erased payee's restricted records are kept for.
      await revealRestricted(tx);
      const original = await this.forms.find(tx, principal.tenantId, id);
      if (original === undefined) throw new ResourceNotFoundError('tax form', id);
      const existing = await this.forms.correctionOf(tx, principal.tenantId, id);
      if (existing !== undefined) throw new FormAlreadyCorrectedError(id, existing);
      const thresholds = await this.ledger.thresholds(tx, original.tax_year);
      const form = await this.insertForm(tx, principal, original.venue_id, original.tax_year, thresholds, original.id);
      if (form === 'no_payee') throw new PayeeUnknownError(original.venue_id);
      // A concurrent correction won the unique index: the same answer as finding it above.
      if (form === undefined) throw new FormAlreadyCorrectedError(id, (await this.forms.correctionOf(tx, principal.tenantId, id)) ?? 'unknown');
      await this.audit.record(tx, { action: 'tax.form_corrected', resourceType: 'tax_form', resourceId: form.id, before: auditState(original), after: auditState(form) });
      return toFormView(form);
    });
  }

  private async generateOne(tx: TenantTransaction, principal: RequestPrincipal, venueId: string, year: number, thresholds: TaxThreshold[], actor: AuditActor | undefined): Promise<VenueOutcome> {
    const form = await this.insertForm(tx, principal, venueId, year, thresholds, null);
    if (form === 'no_payee') {
      this.logger.warn({ tenantId: principal.tenantId, taxYear: year, venueId }, 'Venue requires a Form 1099-K but never submitted a legal name and EIN');
      return 'skippedWithoutPayee';
    }
    if (form === undefined) return 'alreadyGenerated';
    await this.audit.record(tx, { action: 'tax.form_generated', resourceType: 'tax_form', resourceId: form.id, after: auditState(form) }, actor);
    return 'generated';
  }

  private async insertForm(tx: TenantTransaction, principal: RequestPrincipal, venueId: string, year: number, thresholds: TaxThreshold[], correctsId: string | null): Promise<TaxFormRow | undefined | 'no_payee'> {
    const payee = (await this.verifications.payeesForTaxReporting(tx, principal.tenantId, [venueId])).get(venueId);
    if (payee === undefined) return 'no_payee';
    const totals = yearTotals(await this.ledger.monthly(tx, principal.tenantId, venueId, year));
    const tin = this.cipher.seal(this.cipher.open(payee.ein));
    return this.forms.insert(tx, {
      tenantId: principal.tenantId,
      venueId,
      taxYear: year,
      correctsId,
      legalName: payee.legalName,
      tinCiphertext: tin.ciphertext,
      tinKeyId: tin.keyId,
      tinLast4: payee.einLast4,
      grossMinor: totals.grossMinor,
      transactions: totals.transactions,
      monthlyGrossMinor: totals.monthlyGrossMinor,
      jurisdictions: jurisdictionsMet(totals, thresholds),
      generatedBy: principal.userId,
      restrictionBasis: payee.restricted ? 'irs_form_copies' : null,
    });
  }
}

/** What the audit log keeps of a form: figures and links, never the TIN or the name. */
function auditState(form: TaxFormRow): Record<string, unknown> {
  return { venueId: form.venue_id, taxYear: form.tax_year, correctsId: form.corrects_id, grossMinor: Number(form.gross_minor), transactions: Number(form.transactions), jurisdictions: form.jurisdictions };
}

export function toFormView(row: TaxFormRow): TaxFormView {
  return {
    id: row.id,
    venueId: row.venue_id,
    taxYear: row.tax_year,
    form: '1099-K',
    correctsId: row.corrects_id,
    legalName: row.legal_name,
    tin: `**-***${row.tin_last4}`,
    grossMinor: Number(row.gross_minor),
    transactions: Number(row.transactions),
    monthlyGrossMinor: row.monthly_gross_minor.map(Number),
    jurisdictions: row.jurisdictions,
    generatedBy: row.generated_by,
    generatedAt: row.generated_at.toISOString(),
  };
}
