import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { DocumentStatus } from '../verifications/requirements';

export const DOCUMENT_KINDS = ['W9', 'ID', 'BUSINESS_LICENSE', 'OTHER'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentRow {
  id: string;
  venue_id: string;
  owner_id: string | null;
  kind: DocumentKind;
  content_type: string;
  size_bytes: number;
  sha256: Buffer;
  file_name: string | null;
  status: DocumentStatus;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  uploaded_by: string;
  uploaded_at: Date;
}

export interface NewDocument {
  tenantId: string;
  venueId: string;
  ownerId: string | null;
  kind: DocumentKind;
  contentType: string;
  sizeBytes: number;
  sha256: Buffer;
  fileName: string | null;
  uploadedBy: string;
}

const COLUMNS = 'id, venue_id, owner_id, kind, content_type, size_bytes, sha256, file_name, status, decision_reason, decided_by, decided_at, uploaded_by, uploaded_at';

/** The only code that touches documents (metadata; bytes go through DocumentStorage). */
@Injectable()
export class DocumentRepository {
  /** Inserts unless the venue already has these exact bytes as this kind; `created` says which. */
  async insertOnce(tx: TenantTransaction, document: NewDocument): Promise<{ row: DocumentRow; created: boolean }> {
    const inserted: DocumentRow[] = await tx.query(
      `INSERT INTO documents (tenant_id, venue_id, owner_id, kind, content_type, size_bytes, sha256, file_name, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, venue_id, kind, sha256) DO NOTHING RETURNING ${COLUMNS}`,
      [document.tenantId, document.venueId, document.ownerId, document.kind, document.contentType, document.sizeBytes, document.sha256, document.fileName, document.uploadedBy],
    );
    if (inserted[0] !== undefined) return { row: inserted[0], created: true };
    const existing: DocumentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM documents WHERE tenant_id = $1 AND venue_id = $2 AND kind = $3 AND sha256 = $4`,
      [document.tenantId, document.venueId, document.kind, document.sha256],
    );
    return { row: existing[0] as DocumentRow, created: false };
  }

  async find(tx: TenantTransaction, tenantId: string, id: string, forUpdate = false): Promise<DocumentRow | undefined> {
    const rows: DocumentRow[] = await tx.query(`SELECT ${COLUMNS} FROM documents WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [tenantId, id]);
    return rows[0];
  }

  /** Newest first: the checklist counts the latest document of each kind. */
  async listForVenue(tx: TenantTransaction, tenantId: string, venueId: string): Promise<DocumentRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM documents WHERE tenant_id = $1 AND venue_id = $2 ORDER BY uploaded_at DESC, id LIMIT 200`, [tenantId, venueId]);
  }

  async decide(tx: TenantTransaction, tenantId: string, id: string, status: DocumentStatus, reason: string | null, officerId: string): Promise<void> {
    await tx.query(
      'UPDATE documents SET status = $3, decision_reason = $4, decided_by = $5, decided_at = now() WHERE tenant_id = $1 AND id = $2',
      [tenantId, id, status, reason, officerId],
    );
  }
}
