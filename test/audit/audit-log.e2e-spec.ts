import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pngBytes } from '../fixtures/document-bytes';
import { allAuditEntries, type AuditItem, auditPage, countByAction } from '../helpers/audit-api';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { decide, startVerification, upload } from '../helpers/venue-flow';

describe('audit log of the venue flow', () => {
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let secondOfficer: TestCaller;
  let manager: TestCaller;
  let owner: TestCaller;
  let verificationId: string;
  let documentIds: string[];
  let between: string;
  let entries: AuditItem[];
  let approvalRequestId: string;

  beforeAll(async () => {
    app = await startTestApp();
    officer = await callerOf(['compliance_officer']);
    const tenantId = officer.tenantId;
    secondOfficer = await callerOf(['compliance_officer'], { tenantId });
    manager = await callerOf(['compliance_manager'], { tenantId });
    owner = await callerOf(['venue_owner'], { tenantId, venueIds: ['venue-audit'] });

    await app.inject({ method: 'PUT', url: '/api/v1/settings/four-eyes', headers: manager.headers, payload: { enabled: true, minAnnualVolumeCents: 100 } });
    await new Promise((done) => setTimeout(done, 20));
    between = new Date().toISOString();
    await new Promise((done) => setTimeout(done, 20));
    const verification = await startVerification(app, owner, 'venue-audit', { expectedAnnualVolumeCents: 500 });
    verificationId = verification.id;
    const w9 = await upload(app, owner, 'venue-audit', { kind: 'W9' });
    const id = await upload(app, owner, 'venue-audit', { kind: 'ID', ownerId: verification.beneficialOwners[0]?.id as string }, pngBytes(), 'id.png', 'image/png');
    documentIds = [w9.json<{ id: string }>().id, id.json<{ id: string }>().id];
    // Nothing changes: no entry.
    expect((await upload(app, owner, 'venue-audit', { kind: 'W9' })).statusCode).toBe(200);
    expect((await decide(app, officer, verificationId, 'approve')).statusCode).toBe(409);
    for (const documentId of documentIds) {
      await app.inject({ method: 'POST', url: `/api/v1/documents/${documentId}/decisions`, headers: officer.headers, payload: { decision: 'accepted' } });
    }
    expect((await decide(app, officer, verificationId, 'approve')).statusCode).toBe(200);
    expect((await decide(app, officer, verificationId, 'approve')).statusCode).toBe(409);
    const approval = await decide(app, secondOfficer, verificationId, 'approve');
    expect(approval.json()).toMatchObject({ state: 'verified' });
    approvalRequestId = String(approval.headers['x-request-id']);
    entries = await allAuditEntries(app, manager);
  }, 60_000);

  afterAll(async () => {
    await app.close();
  });

  it('names the request that made each change, as its logs and X-Request-Id do', () => {
    expect(approvalRequestId).toMatch(/\S{8,}/);
    expect(entries.find((entry) => entry.action === 'verification.approve')?.requestId).toBe(approvalRequestId);
    expect(new Set(entries.map((entry) => entry.requestId)).size).toBe(entries.length);
  });

  it('holds one entry per state change and none for refused or repeated requests, in consecutive sequence', () => {
    expect(countByAction(entries)).toEqual({
      'settings.four_eyes_changed': 1,
      'verification.submitted': 1,
      'document.uploaded': 2,
      'document.accepted': 2,
      'verification.first_approval': 1,
      'verification.approve': 1,
    });
    expect(entries.map((entry) => entry.seq)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('records who changed what, from which state to which', () => {
    const approvals = entries.filter((entry) => entry.resourceId === verificationId && entry.action.includes('approv'));
    expect(approvals.map((entry) => ({ actor: entry.actor, before: entry.before, state: (entry.after as { state: string }).state }))).toEqual([
      { actor: secondOfficer.userId, before: { state: 'in_review' }, state: 'verified' },
      { actor: officer.userId, before: { state: 'pending' }, state: 'in_review' },
    ]);
  });

  it('filters by resource, actor, action and time range', async () => {
    const ids = async (query: Record<string, string>) => (await auditPage(app, officer, query)).items.map((item) => item.seq);
    expect(await ids({ resourceType: 'document' })).toEqual([6, 5, 4, 3]);
    expect(await ids({ resourceType: 'verification', resourceId: verificationId })).toEqual([8, 7, 2]);
    expect(await ids({ actor: owner.userId })).toEqual([4, 3, 2]);
    expect(await ids({ action: 'document.accepted' })).toEqual([6, 5]);
    expect(await ids({ to: between })).toEqual([1]);
    expect(await ids({ from: between })).toEqual([8, 7, 6, 5, 4, 3, 2]);
    const third = entries.find((entry) => entry.seq === 3) as AuditItem;
    const sixth = entries.find((entry) => entry.seq === 6) as AuditItem;
    // from is inclusive, to exclusive.
    expect(await ids({ from: third.occurredAt, to: sixth.occurredAt, actor: owner.userId })).toEqual([4, 3]);
  });

  it('pages newest first with a cursor, every entry exactly once', async () => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuditItem[]; nextCursor: string | null } = await auditPage(app, officer, { limit: '3', ...(cursor === null ? {} : { cursor }) });
      pages.push(page.items.map((item) => item.seq as number));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([[8, 7, 6], [5, 4, 3], [2, 1]]);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/audit?cursor=not-a-cursor', headers: officer.headers });
    expect({ status: bad.statusCode, code: bad.json<{ code: string }>().code }).toEqual({ status: 400, code: 'REQUEST.INVALID_CURSOR' });
  });

  it('keeps the EIN and document content out of the entries', () => {
    expect(JSON.stringify(entries)).not.toMatch(/3456789/);
  });

  it('is not readable by venue owners or services', async () => {
    for (const caller of [owner, await callerOf(['service'], { tenantId: officer.tenantId })]) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: caller.headers });
      expect(response.statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: officer.headers })).statusCode).toBe(403);
  });
});
