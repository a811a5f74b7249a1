import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import { DocumentStorage } from './document-storage';

@Injectable()
export class PostgresDocumentStorage extends DocumentStorage {
  async put(tx: TenantTransaction, tenantId: string, documentId: string, content: Buffer): Promise<void> {
    await tx.query('INSERT INTO document_contents (document_id, tenant_id, content) VALUES ($1, $2, $3)', [documentId, tenantId, content]);
  }

  async get(tx: TenantTransaction, tenantId: string, documentId: string): Promise<Buffer | undefined> {
    const rows: Array<{ content: Buffer }> = await tx.query('SELECT content FROM document_contents WHERE tenant_id = $1 AND document_id = $2', [tenantId, documentId]);
    return rows[0]?.content;
  }
}
