import { Client } from 'pg';
import { requireEnv } from './test-database';

/** Every table that holds tenant data under row-level security (a spec checks the list against the schema). */
export const TENANT_TABLES = [
  'venue_verifications',
  'beneficial_owners',
  'verification_decisions',
  'documents',
  'document_contents',
  'tenant_settings',
  'idempotency_keys',
  'audit_log',
  'audit_chain_heads',
  'screenings',
  'screening_dispositions',
  'risk_weight_overrides',
  'risk_assessments',
  'risk_overrides',
  'risk_flags',
  'tax_transactions',
  'tax_forms',
  'domain_events',
  'webhook_events',
  'venue_processor_accounts',
  'screening_alerts',
  'alert_events',
  'audit_subject_salts',
  'audit_personal_values',
  'privacy_requests',
  'privacy_exports',
] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];

/** Per table: how many rows a tenant has, and a digest of their whole content (an UPDATE changes it). */
export type TenantSnapshot = Record<TenantTable, { rows: number; digest: string | null }>;

/**
 * A connection as the test's login role (a superuser: row-level security does not bind it), to
 * look at the database behind the API's back.
 */
export async function superuserClient(databaseUrl = requireEnv('TEST_APP_DATABASE_URL')): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  return client;
}

export async function snapshotTenant(client: Client, tenantId: string): Promise<TenantSnapshot> {
  const snapshot: Partial<TenantSnapshot> = {};
  for (const table of TENANT_TABLES) {
    const { rows } = await client.query<{ rows: string; digest: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${table} t WHERE tenant_id::text = $1`,
      [tenantId],
    );
    const row = rows[0] as { rows: string; digest: string | null };
    snapshot[table] = { rows: Number(row.rows), digest: row.digest };
  }
  return snapshot as TenantSnapshot;
}

export async function countRows(client: Client, table: TenantTable, tenantId: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${table} WHERE tenant_id::text = $1`, [tenantId]);
  return Number(rows[0]?.count ?? 0);
}
