import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { APPLICATION_ROLE, TenantTransactions } from '../../src/database/tenant-transaction';
import { DocumentRepository } from '../../src/modules/venues/documents/document.repository';
import { VerificationRepository } from '../../src/modules/venues/verifications/verification.repository';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { importWithCli, OFAC_FIXTURE, sanctionsDatabase } from '../helpers/sanctions-lists';
import { countRows, superuserClient, TENANT_TABLES, type TenantTable } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { startVerification } from '../helpers/venue-flow';
import { deliverStripe, stripeEvent } from '../webhooks/stripe-deliveries';

/** Tables the application role may UPDATE: moving a row to another tenant must fail WITH CHECK. */
const UPDATABLE: Exclude<TenantTable, 'audit_log' | 'screenings' | 'screening_dispositions' | 'risk_assessments' | 'risk_overrides' | 'alert_events'>[] = [
  'venue_verifications',
  'beneficial_owners',
  'verification_decisions',
  'documents',
  'document_contents',
  'tenant_settings',
  'idempotency_keys',
  'audit_chain_heads',
  'risk_weight_overrides',
  'risk_flags',
  'webhook_events',
  'venue_processor_accounts',
  'screening_alerts',
];

describe('row-level security on its own, without any tenant filter in the query', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let transactions: TenantTransactions;
  let a: SeededTenant;
  let b: SeededTenant;

  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    // With a sanctions list (global tables: a database of its own), every tenant table gets rows.
    database = await sanctionsDatabase('rls');
    const imported = await importWithCli(database.url, ['--dir', OFAC_FIXTURE]);
    if (imported.code !== 0) throw new Error(imported.stderr);
    app = await startTestApp({ DATABASE_URL: database.url });
    db = await superuserClient(database.url);
    transactions = app.get(TenantTransactions);
    a = await seedTenant(app, 'rls-a');
    b = await seedTenant(app, 'rls-b');
    for (const tenant of [a, b]) {
      const screening = await app.inject({ method: 'POST', url: '/api/v1/screenings', headers: tenant.officer.headers, payload: { name: 'BANCO NACIONAL DE CUBA' } });
      const disposed = await app.inject({
        method: 'POST',
        url: `/api/v1/screenings/${screening.json<{ id: string }>().id}/matches/306/disposition`,
        headers: tenant.officer.headers,
        payload: { decision: 'false_positive', reason: 'seeded for the RLS test' },
      });
      expect(disposed.statusCode).toBe(200);
      // A listed owner opens a screening alert (and its opened event).
      await startVerification(app, tenant.officer, `${tenant.venueId}-listed`, { beneficialOwners: [{ fullName: 'Ayman al-Zawahiri', dateOfBirth: '1951-06-19', ownershipPercent: 30 }] });
      // What Stripe last said of the venue's connected account.
      const account = { id: `acct_${tenant.venueId}`, object: 'account', payouts_enabled: false, requirements: { past_due: ['external_account'] }, metadata: { tenant_id: tenant.tenantId, venue_id: tenant.venueId } };
      expect((await deliverStripe(app, stripeEvent('account.updated', account))).json()).toEqual({ received: true, outcome: 'applied' });
    }
  }, 90_000);

  afterAll(async () => {
    await db.end();
    await app.close();
    await database.drop();
  });

  it('covers every table that has a tenant_isolation policy', async () => {
    const { rows } = await db.query<{ tablename: string }>("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation' ORDER BY tablename");
    expect(rows.map((row) => row.tablename)).toEqual([...TENANT_TABLES].sort());
  });

  it('runs as a superuser login, so only the switch to the application role can make policies bind', async () => {
    const { rows } = await db.query<{ rolsuper: boolean; rolbypassrls: boolean }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user');
    expect(rows[0]?.rolsuper).toBe(true);
    const inside: Array<{ current_user: string; tenant: string }> = await transactions.withTenantTransaction(b, (tx) =>
      tx.query("SELECT current_user, current_setting('app.tenant_id') AS tenant"),
    );
    expect(inside[0]).toEqual({ current_user: APPLICATION_ROLE, tenant: b.tenantId });
  });

  it.each(TENANT_TABLES)('hides tenant A\'s rows of %s from a bare SELECT in tenant B\'s transaction', async (table) => {
    expect(await countRows(db, table, a.tenantId)).toBeGreaterThan(0);
    expect(await countRows(db, table, b.tenantId)).toBeGreaterThan(0);
    const rows: Array<{ tenant_id: string }> = await transactions.withTenantTransaction(b, (tx) => tx.query(`SELECT tenant_id::text AS tenant_id FROM ${table}`));
    expect(rows.length).toBe(await countRows(db, table, b.tenantId));
    expect(new Set(rows.map((row) => row.tenant_id))).toEqual(new Set([b.tenantId]));
  });

  it('answers nothing when a repository asks for tenant A\'s verification and document by tenant A\'s id from tenant B\'s transaction', async () => {
    const found = await transactions.withTenantTransaction(b, async (tx) => ({
      verification: await app.get(VerificationRepository, { strict: false }).find(tx, a.tenantId, a.verificationId),
      owners: await app.get(VerificationRepository, { strict: false }).owners(tx, a.tenantId, a.verificationId),
      document: await app.get(DocumentRepository, { strict: false }).find(tx, a.tenantId, a.documentIds[0] as string),
    }));
    expect(found).toEqual({ verification: undefined, owners: [], document: undefined });
    // The same calls in A's own transaction do find them: the test is not vacuous.
    const own = await transactions.withTenantTransaction(a, (tx) => app.get(VerificationRepository, { strict: false }).find(tx, a.tenantId, a.verificationId));
    expect(own?.id).toBe(a.verificationId);
  });

  it('sees no row at all when no tenant is set', async () => {
    for (const table of TENANT_TABLES) {
      const rows: unknown[] = await transactions.withTenantTransaction({ tenantId: '' }, (tx) => tx.query(`SELECT 1 FROM ${table} LIMIT 1`));
      expect({ table, rows }).toEqual({ table, rows: [] });
    }
  });

  it.each(UPDATABLE)('refuses to move one of tenant B\'s %s rows to tenant A (WITH CHECK)', async (table) => {
    const before = await countRows(db, table, a.tenantId);
    const moved = transactions.withTenantTransaction(b, (tx) => tx.query(`UPDATE ${table} SET tenant_id = $1 WHERE tenant_id::text = $2`, [a.tenantId, b.tenantId]));
    await expect(moved).rejects.toThrow(/row-level security policy/);
    expect(await countRows(db, table, a.tenantId)).toBe(before);
  });

  it('refuses to write a verification or an audit entry with tenant A\'s tenant_id from tenant B\'s transaction', async () => {
    const verification = transactions.withTenantTransaction(b, (tx) =>
      tx.query(
        `INSERT INTO venue_verifications (tenant_id, venue_id, state, legal_name, ein_ciphertext, ein_key_id, ein_hash, ein_last4, business_address,
           contact_email, four_eyes_required, submitted_by, review_deadline)
         VALUES ($1, 'planted', 'pending', 'Planted', '\\x00', 'k', '\\x00', '0000', '{}', 'x@example.com', false, 'b', now())`,
        [a.tenantId],
      ),
    );
    await expect(verification).rejects.toThrow(QueryFailedError);
    await expect(verification).rejects.toThrow(/row-level security policy/);
    const audit = transactions.withTenantTransaction(b, (tx) =>
      tx.query("INSERT INTO audit_log (tenant_id, actor, action, entity_type) VALUES ($1, 'b', 'planted', 'x')", [a.tenantId]),
    );
    await expect(audit).rejects.toThrow(/row-level security policy/);
    const { rows } = await db.query("SELECT 1 FROM venue_verifications WHERE venue_id = 'planted' UNION ALL SELECT 1 FROM audit_log WHERE action = 'planted'");
    expect(rows).toEqual([]);
  });
});
