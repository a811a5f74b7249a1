import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { APPLICATION_ROLE } from '../../src/database/tenant-transaction';
import { pdfBytes } from '../fixtures/document-bytes';
import { verifyChain } from '../helpers/audit-api';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification, upload } from '../helpers/venue-flow';

describe('hash-chained audit log integrity', () => {
  let app: NestFastifyApplication;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  /** A scratch tenant with `entries` audit entries (four-eyes setting changes), so tampering harms nobody else. */
  async function tenantWithEntries(entries: number): Promise<TestCaller> {
    const manager = await callerOf(['compliance_manager']);
    for (let index = 0; index < entries; index += 1) {
      const response = await app.inject({ method: 'PUT', url: '/api/v1/settings/four-eyes', headers: manager.headers, payload: { enabled: true, minAnnualVolumeCents: index } });
      expect(response.statusCode).toBe(200);
    }
    expect(await verifyChain(app, manager)).toEqual({ tenantId: manager.tenantId, checked: entries, intact: true, firstBroken: null });
    return manager;
  }

  /** Edits behind the trigger's back, as someone with superuser access would. */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await db.query('BEGIN');
    try {
      await db.query('SET LOCAL session_replication_role = replica');
      const result = await db.query(sql, params);
      expect(result.rowCount).toBe(1);
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
  }

  async function asApplicationRole(tenantId: string, sql: string): Promise<void> {
    await db.query('BEGIN');
    try {
      await db.query(`SET LOCAL ROLE ${APPLICATION_ROLE}`);
      await db.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      await db.query(sql, sql.includes('$1') ? [tenantId] : []);
    } finally {
      await db.query('ROLLBACK');
    }
  }

  it.each([
    ['UPDATE', "UPDATE audit_log SET action = 'rewritten' WHERE tenant_id = $1"],
    ['DELETE', 'DELETE FROM audit_log WHERE tenant_id = $1'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses %s of audit_log to the application role', async (_operation, sql) => {
    const manager = await tenantWithEntries(2);
    await expect(asApplicationRole(manager.tenantId, sql)).rejects.toThrow(/permission denied/);
    expect(await verifyChain(app, manager)).toMatchObject({ checked: 2, intact: true });
  });

  it('refuses UPDATE and DELETE of audit_log even to the superuser while its trigger is on', async () => {
    const manager = await tenantWithEntries(1);
    await expect(db.query("UPDATE audit_log SET action = 'rewritten' WHERE tenant_id = $1", [manager.tenantId])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log WHERE tenant_id = $1', [manager.tenantId])).rejects.toThrow(/append-only/);
    expect(await verifyChain(app, manager)).toMatchObject({ checked: 1, intact: true });
  });

  it('reports the first broken link when one row\'s after_state was edited', async () => {
    const manager = await tenantWithEntries(5);
    await tamper('UPDATE audit_log SET after_state = \'{"enabled": false}\' WHERE tenant_id = $1 AND seq = 3', [manager.tenantId]);
    expect(await verifyChain(app, manager)).toMatchObject({ intact: false, checked: 2, firstBroken: { seq: 3, reason: expect.stringMatching(/changed/) } });
  });

  it('reports a deleted middle row', async () => {
    const manager = await tenantWithEntries(5);
    await tamper('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 3', [manager.tenantId]);
    expect(await verifyChain(app, manager)).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: expect.stringMatching(/missing/) } });
  });

  it('reports a deleted last row', async () => {
    const manager = await tenantWithEntries(5);
    await tamper('DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 5', [manager.tenantId]);
    expect(await verifyChain(app, manager)).toMatchObject({ intact: false, checked: 4, firstBroken: { seq: 5, reason: expect.stringMatching(/removed at the end/) } });
  });

  it('keeps one intact chain with consecutive sequence numbers under 20 concurrent writers, without deadlock', async () => {
    const officer = await callerOf(['compliance_officer']);
    const manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
    await startVerification(app, officer, 'venue-busy');
    const uploads = await Promise.all(Array.from({ length: 20 }, (_, index) => upload(app, officer, 'venue-busy', { kind: 'OTHER' }, pdfBytes(`busy ${index}`), `doc-${index}.pdf`)));
    expect(uploads.map((response) => response.statusCode)).toEqual(Array.from({ length: 20 }, () => 201));
    const decisions = await Promise.all(
      uploads.map((response) =>
        app.inject({ method: 'POST', url: `/api/v1/documents/${response.json<{ id: string }>().id}/decisions`, headers: officer.headers, payload: { decision: 'accepted' } }),
      ),
    );
    expect(decisions.map((response) => response.statusCode)).toEqual(Array.from({ length: 20 }, () => 200));
    const { rows } = await db.query<{ seq: string }>('SELECT seq FROM audit_log WHERE tenant_id = $1 ORDER BY seq', [officer.tenantId]);
    expect(rows.map((row) => Number(row.seq))).toEqual(Array.from({ length: 41 }, (_, index) => index + 1));
    expect(await verifyChain(app, manager)).toEqual({ tenantId: officer.tenantId, checked: 41, intact: true, firstBroken: null });
  });
});
