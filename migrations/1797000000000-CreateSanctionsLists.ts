import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sanctions lists as loaded versions. An import writes a whole new version beside the active one
 * and flips `active` in the same transaction, so readers see the old list or the new one, never a
 * mix (watchman swaps lists atomically, yente flips an index alias). The partial unique index makes
 * "one active version per source" a fact of the schema. The lists are public data shared by every
 * tenant: no tenant column, no row-level security, and compliance_app may only read them (imports
 * run as the login role, outside tenant transactions).
 */
export class CreateSanctionsLists1797000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sanctions_list_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL CHECK (source IN ('ofac_sdn', 'opensanctions')),
        list_name text NOT NULL,
        checksum text NOT NULL,
        -- squawk-ignore prefer-bigint-over-int
        entry_count integer NOT NULL,
        -- squawk-ignore prefer-bigint-over-int
        alias_count integer NOT NULL,
        counts jsonb NOT NULL,
        active boolean NOT NULL DEFAULT false,
        loaded_by text NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX sanctions_list_versions_one_active ON sanctions_list_versions (source) WHERE active');
    await queryRunner.query('CREATE INDEX sanctions_list_versions_source_idx ON sanctions_list_versions (source, loaded_at DESC)');
    await queryRunner.query(`
      CREATE TABLE sanctions_list_entries (
        version_id uuid NOT NULL REFERENCES sanctions_list_versions (id) ON DELETE CASCADE,
        source_id text NOT NULL,
        list_name text NOT NULL,
        entry_type text NOT NULL CHECK (entry_type IN ('individual', 'entity', 'vessel', 'aircraft')),
        primary_name text NOT NULL,
        aliases jsonb NOT NULL,
        programs text[] NOT NULL,
        countries text[] NOT NULL,
        dates_of_birth text[] NOT NULL,
        identifiers jsonb NOT NULL,
        addresses jsonb NOT NULL,
        remarks text NOT NULL,
        content_hash text NOT NULL,
        PRIMARY KEY (version_id, source_id)
      )`);
    for (const table of ['sanctions_list_versions', 'sanctions_list_entries']) {
      await queryRunner.query(`GRANT SELECT ON ${table} TO compliance_app`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sanctions_list_entries');
    await queryRunner.query('DROP TABLE sanctions_list_versions');
  }
}
