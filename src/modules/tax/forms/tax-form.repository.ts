import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';

export interface TaxFormRow {
  id: string;
  venue_id: string;
  tax_year: number;
  corrects_id: string | null;
  legal_name: string;
  tin_last4: string;
  gross_minor: string;
  transactions: string;
  monthly_gross_minor: string[];
  jurisdictions: string[];
  generated_by: string;
  generated_at: Date;
}

export interface NewTaxForm {
  tenantId: string;
  venueId: string;
  taxYear: number;
  correctsId: string | null;
  legalName: string;
  tinCiphertext: Buffer;
  tinKeyId: string;
  tinLast4: string;
  grossMinor: number;
  transactions: number;
  monthlyGrossMinor: number[];
  jurisdictions: string[];
  generatedBy: string;
  /** Filed for an erased payee: born restricted (GDPR Art. 18), kept for the IRS rule named here. */
  restrictionBasis: 'irs_form_copies' | null;
}

const COLUMNS = 'id, venue_id, tax_year, corrects_id, legal_name, tin_last4, gross_minor, transactions, monthly_gross_minor, jurisdictions, generated_by, generated_at';

/** The only code that touches tax_forms. The sealed TIN is written here and never read back. */
@Injectable()
export class TaxFormRepository {
  /** Undefined when the venue already has its original form for the year, or the form its correction. */
  async insert(tx: TenantTransaction, form: NewTaxForm): Promise<TaxFormRow | undefined> {
    const rows: TaxFormRow[] = await tx.query(
      `INSERT INTO tax_forms (tenant_id, venue_id, tax_year, corrects_id, legal_name, tin_ciphertext, tin_key_id, tin_last4,
         gross_minor, transactions, monthly_gross_minor, jurisdictions, generated_by, restriction_basis, restricted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint[], $12::text[], $13, $14::text, CASE WHEN $14::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [
        form.tenantId, form.venueId, form.taxYear, form.correctsId, form.legalName, form.tinCiphertext, form.tinKeyId, form.tinLast4,
        form.grossMinor, form.transactions, form.monthlyGrossMinor, form.jurisdictions, form.generatedBy, form.restrictionBasis,
      ],
    );
    return rows[0];
  }

  async find(tx: TenantTransaction, tenantId: string, id: string): Promise<TaxFormRow | undefined> {
    const rows: TaxFormRow[] = await tx.query(`SELECT ${COLUMNS} FROM tax_forms WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0];
  }

  async correctionOf(tx: TenantTransaction, tenantId: string, id: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await tx.query('SELECT id FROM tax_forms WHERE tenant_id = $1 AND corrects_id = $2', [tenantId, id]);
    return rows[0]?.id;
  }

  async venuesWithOriginal(tx: TenantTransaction, tenantId: string, year: number): Promise<Set<string>> {
    const rows: Array<{ venue_id: string }> = await tx.query('SELECT venue_id FROM tax_forms WHERE tenant_id = $1 AND tax_year = $2 AND corrects_id IS NULL', [tenantId, year]);
    return new Set(rows.map((row) => row.venue_id));
  }

  /** Every form of the year, originals and corrections, by venue then generation time. */
  async listForYear(tx: TenantTransaction, tenantId: string, year: number): Promise<TaxFormRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM tax_forms WHERE tenant_id = $1 AND tax_year = $2 ORDER BY venue_id, generated_at, id`, [tenantId, year]);
  }
}
