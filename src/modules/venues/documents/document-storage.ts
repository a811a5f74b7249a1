import type { TenantTransaction } from '../../../database/tenant-transaction';

/**
 * Where document bytes live. PostgreSQL today (PostgresDocumentStorage: pods are stateless with a
 * read-only root filesystem, and the bytes then commit with their metadata); an object store can
 * implement the same three calls later, keyed by document id.
 */
export abstract class DocumentStorage {
  abstract put(tx: TenantTransaction, tenantId: string, documentId: string, content: Buffer): Promise<void>;
  abstract get(tx: TenantTransaction, tenantId: string, documentId: string): Promise<Buffer | undefined>;
}
