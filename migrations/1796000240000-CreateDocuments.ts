import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Venue documents (W-9, ID, business licence): metadata with the officer's per-document decision,
 * and the bytes in a table of their own so listing metadata never reads content. Pods are
 * stateless with a read-only root filesystem, so PostgreSQL stores the bytes behind the
 * DocumentStorage interface an object store can implement later. Identical re-uploads are one row.
 */
export class CreateDocuments1796000240000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        venue_id text NOT NULL,
        owner_id uuid,
        kind text NOT NULL CHECK (kind IN ('W9', 'ID', 'BUSINESS_LICENSE', 'OTHER')),
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
        -- squawk-ignore prefer-bigint-over-int
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 bytea NOT NULL,
        file_name text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'revision_requested')),
        decision_reason text,
        decided_by text,
        decided_at timestamptz,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX documents_same_content_once ON documents (tenant_id, venue_id, kind, sha256)');
    await queryRunner.query('CREATE INDEX documents_venue_idx ON documents (tenant_id, venue_id, uploaded_at DESC)');
    await queryRunner.query(`
      CREATE TABLE document_contents (
        document_id uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL,
        content bytea NOT NULL
      )`);
    // Already-compressed PDFs and images gain nothing from TOAST compression.
    await queryRunner.query('ALTER TABLE document_contents ALTER COLUMN content SET STORAGE EXTERNAL');
    for (const table of ['documents', 'document_contents']) {
      await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO compliance_app`);
      await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE document_contents');
    await queryRunner.query('DROP TABLE documents');
  }
}
