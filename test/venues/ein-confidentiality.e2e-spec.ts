import type { Client } from 'pg';
import { pdfBytes, pngBytes, multipartBody } from '../fixtures/document-bytes';
import { ServiceProcess } from '../helpers/service-process';
import { superuserClient } from '../helpers/tenant-tables';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';

/** The digits that identify the EIN 12-3456789 (its last four, 6789, may be shown). */
const EIN = '12-3456789';
const SECRET_DIGITS = '3456789';

const SEARCHED_TYPES = ['text', 'character varying', 'jsonb', 'json', 'bytea', 'ARRAY'];

describe('the EIN never appears in plaintext', () => {
  let db: Client;

  beforeAll(async () => {
    db = await superuserClient();
  });

  afterAll(async () => {
    await db.end();
  });

  /** The whole venue flow against `node dist/index.js` at debug level; returns every response body. */
  async function runFlow(base: string, officer: TestCaller, secondOfficer: TestCaller, owner: TestCaller): Promise<string[]> {
    const bodies: string[] = [];
    const call = async (caller: TestCaller, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const isForm = body instanceof Object && 'payload' in body && Buffer.isBuffer((body as { payload: unknown }).payload);
      const form = body as { payload: Buffer; headers: Record<string, string> } | undefined;
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...caller.headers, ...(isForm ? form?.headers : body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: isForm ? new Uint8Array(form?.payload as Buffer) : body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      bodies.push(text);
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
    };
    const started = await call(owner, 'POST', '/api/v1/venues/venue-ein/verifications', submission({ ein: EIN, expectedAnnualVolumeCents: 50_000_000 }));
    const id = started.id as string;
    expect(started.ein).toBe('**-***6789');
    await call(officer, 'POST', `/api/v1/verifications/${id}/decisions`, { decision: 'request_changes', reason: 'Please confirm the EIN' });
    const resubmitted = await call(owner, 'PUT', `/api/v1/verifications/${id}`, submission({ ein: EIN, expectedAnnualVolumeCents: 50_000_000 }));
    const ownerId = (resubmitted.beneficialOwners as Array<{ id: string }>)[0]?.id as string;
    const w9 = await call(owner, 'POST', '/api/v1/venues/venue-ein/documents', multipartBody({ kind: 'W9' }, { name: 'w9.pdf', contentType: 'application/pdf', content: pdfBytes() }));
    const idDoc = await call(owner, 'POST', '/api/v1/venues/venue-ein/documents', multipartBody({ kind: 'ID', ownerId }, { name: 'id.png', contentType: 'image/png', content: pngBytes() }));
    for (const document of [w9, idDoc]) await call(officer, 'POST', `/api/v1/documents/${document.id as string}/decisions`, { decision: 'accepted' });
    await call(officer, 'POST', `/api/v1/verifications/${id}/decisions`, { decision: 'approve' });
    await call(secondOfficer, 'POST', `/api/v1/verifications/${id}/decisions`, { decision: 'approve' });
    await call(owner, 'GET', `/api/v1/verifications/${id}`);
    await call(owner, 'GET', '/api/v1/venues/venue-ein/verifications');
    await call(officer, 'GET', '/api/v1/review-queue');
    await call(officer, 'GET', '/api/v1/audit?limit=200');
    const final = await call(owner, 'GET', `/api/v1/verifications/${id}`);
    expect(final.state).toBe('verified');
    return bodies;
  }

  it('in no column of any table, no response body of the flow and no log line at debug level', async () => {
    const { service, base } = await ServiceProcess.startOnTestDatabase({ LOG_LEVEL: 'debug', SHUTDOWN_DRAIN_MS: '0' });
    let bodies: string[];
    try {
      const officer = await callerOf(['compliance_officer']);
      const secondOfficer = await callerOf(['compliance_officer'], { tenantId: officer.tenantId });
      const owner = await callerOf(['venue_owner'], { tenantId: officer.tenantId, venueIds: ['venue-ein'] });
      bodies = await runFlow(base, officer, secondOfficer, owner);
    } finally {
      service.kill('SIGTERM');
      await service.exited;
    }

    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain(SECRET_DIGITS);

    const logs = service.output.join('');
    // The capture holds the flow: one request line per call (so the check below reads real output).
    expect(logs.split('\n').filter((line) => line.includes('"context":"Request"')).length).toBeGreaterThanOrEqual(bodies.length);
    expect(logs).not.toContain(SECRET_DIGITS);

    const { rows: columns } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = 'public' AND c.data_type = ANY($1)`,
      [SEARCHED_TYPES],
    );
    expect(columns.map((column) => `${column.table_name}.${column.column_name}`)).toEqual(expect.arrayContaining(['venue_verifications.ein_ciphertext', 'audit_log.after_state', 'document_contents.content']));
    const found: string[] = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns) {
      const condition = type === 'bytea' ? `position(convert_to($1, 'UTF8') IN "${column}") > 0 OR encode("${column}", 'hex') LIKE '%' || encode(convert_to($1, 'UTF8'), 'hex') || '%'` : `"${column}"::text LIKE '%' || $1 || '%'`;
      const { rows } = await db.query(`SELECT 1 FROM "${table}" WHERE ${condition} LIMIT 1`, [SECRET_DIGITS]);
      if (rows.length > 0) found.push(`${table}.${column}`);
    }
    expect(found).toEqual([]);
  }, 60_000);
});
