import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { pngBytes } from '../fixtures/document-bytes';
import { verifyChain } from '../helpers/audit-api';
import { superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf } from '../helpers/tokens';
import { acceptDocument, decide, startVerification, upload } from '../helpers/venue-flow';

describe('two officers approving a four-eyes verification at the same moment', () => {
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

  it.each([1, 2, 3, 4, 5])('gives one first approval and one completing approval, never two firsts (round %i)', async () => {
    const first = await callerOf(['compliance_officer']);
    const second = await callerOf(['compliance_officer'], { tenantId: first.tenantId });
    const manager = await callerOf(['compliance_manager'], { tenantId: first.tenantId });
    const verification = await startVerification(app, first, 'venue-race', { expectedAnnualVolumeCents: 50_000_000 });
    const w9 = await upload(app, first, 'venue-race', { kind: 'W9' });
    const id = await upload(app, first, 'venue-race', { kind: 'ID', ownerId: verification.beneficialOwners[0]?.id as string }, pngBytes(), 'id.png', 'image/png');
    await acceptDocument(app, first, w9.json<{ id: string }>().id);
    await acceptDocument(app, first, id.json<{ id: string }>().id);

    const answers = await Promise.all([decide(app, first, verification.id, 'approve'), decide(app, second, verification.id, 'approve')]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    const states = answers.map((answer) => answer.json<{ state: string }>().state).sort();
    expect(states).toEqual(['in_review', 'verified']);

    const { rows } = await db.query<{ officer_id: string }>("SELECT officer_id FROM verification_decisions WHERE verification_id = $1 AND decision = 'approve'", [verification.id]);
    expect(rows.map((row) => row.officer_id).sort()).toEqual([first.userId, second.userId].sort());
    const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'verification.%' ORDER BY seq", [first.tenantId]);
    expect(audit.rows.map((row) => row.action)).toEqual(['verification.submitted', 'verification.first_approval', 'verification.approve']);
    const final = await app.inject({ method: 'GET', url: `/api/v1/verifications/${verification.id}`, headers: manager.headers });
    expect(final.json()).toMatchObject({ state: 'verified', fourEyes: { required: true, awaitingSecondApproval: false } });
    expect(await verifyChain(app, manager)).toMatchObject({ intact: true });
  });
});
