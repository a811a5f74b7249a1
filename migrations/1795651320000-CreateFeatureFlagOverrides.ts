import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runtime feature-flag overrides with PostgreSQL as their record (Redis only notifies replicas):
 * an override and its audit_log row commit in one transaction. `feature_flag_generation` is one
 * row counting committed changes; writers lock it first (a key without a row cannot be locked, so
 * two first writes of one override would otherwise both read "no previous"), and readers compare
 * generations so that a read which started before a change can never roll that change back.
 */
export class CreateFeatureFlagOverrides1795651320000 implements MigrationInterface {
  /** The counter row `up` inserts is its seed: reverting loses no data (destructive-down-guard.ts). */
  readonly seededRows = { feature_flag_generation: 1 };

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE feature_flag_overrides (
        override_key text PRIMARY KEY,
        flag text NOT NULL,
        tenant_id text,
        rule jsonb NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE feature_flag_generation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        generation bigint NOT NULL
      )`);
    await queryRunner.query('INSERT INTO feature_flag_generation (singleton, generation) VALUES (true, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE feature_flag_generation');
    await queryRunner.query('DROP TABLE feature_flag_overrides');
  }
}
