import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'light-my-request';
import type { Client } from 'pg';
import { exeBytes, multipartBody, pdfBytes } from '../fixtures/document-bytes';
import { expectProblem, invalidFields } from '../helpers/problem';
import { type SeededTenant, seedTenant } from '../helpers/seeded-tenant';
import { snapshotTenant, superuserClient, type TenantSnapshot } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { submission } from '../helpers/venue-flow';

const TEN_MB = 10 * 1024 * 1024;

describe('bad input on each route: the right 4xx problem, and no row written', () => {
  let app: NestFastifyApplication;
  let db: Client;
  let t: SeededTenant;
  let before: TenantSnapshot;

  beforeAll(async () => {
    app = await startTestApp();
    db = await superuserClient();
    t = await seedTenant(app, 'bad-input');
    before = await snapshotTenant(db, t.tenantId);
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  afterEach(async () => {
    expect(await snapshotTenant(db, t.tenantId)).toEqual(before);
  });

  const asOfficer = (request: InjectOptions): Promise<import('light-my-request').Response> => app.inject({ ...request, headers: { ...t.officer.headers, ...request.headers } });
  const asManager = (request: InjectOptions): Promise<import('light-my-request').Response> => app.inject({ ...request, headers: { ...t.manager.headers, ...request.headers } });
  const start = (payload: unknown) => asOfficer({ method: 'POST', url: '/api/v1/venues/venue-new/verifications', payload: payload as Record<string, unknown> });

  it('refuses a submission with a wrong type, naming the field', async () => {
    expect(invalidFields(await start(submission({ legalName: 42 })))).toEqual(['legalName']);
    expect(invalidFields(await start(submission({ expectedAnnualVolumeCents: '100' })))).toEqual(['expectedAnnualVolumeCents']);
    expect(invalidFields(await start(submission({ beneficialOwners: [{ fullName: 'A', dateOfBirth: '1980-01-01', ownershipPercent: 'half' }] })))).toEqual(['beneficialOwners.0.ownershipPercent']);
  });

  it('refuses unknown fields at any depth (strict objects)', async () => {
    const topLevel = await start(submission({ isAdmin: true }));
    expect(invalidFields(topLevel)).toEqual(['(root)']);
    expect(topLevel.json<{ detail: string }>().detail).toContain('isAdmin');
    expect(invalidFields(await start(submission({ businessAddress: { ...(submission().businessAddress as object), floor: 3 } })))).toEqual(['businessAddress']);
  });

  it('refuses a submission missing required fields, naming each', async () => {
    const { ein: _ein, contactEmail: _email, ...rest } = submission();
    expect(invalidFields(await start(rest)).sort()).toEqual(['contactEmail', 'ein']);
    expect(invalidFields(await start(submission({ beneficialOwners: [] })))).toEqual(['beneficialOwners']);
  });

  it('refuses an EIN with a prefix the IRS never assigns, and a malformed one', async () => {
    const prefix = await start(submission({ ein: '07-3456789' }));
    expect(invalidFields(prefix)).toEqual(['ein']);
    expect(prefix.json<{ detail: string }>().detail).toContain('prefix 07');
    expect(invalidFields(await start(submission({ ein: '123456789' })))).toEqual(['ein']);
  });

  it('answers malformed JSON with 400 and a body over HTTP_BODY_LIMIT_BYTES with 413', async () => {
    expectProblem(await asOfficer({ method: 'POST', url: '/api/v1/venues/venue-new/verifications', headers: { 'content-type': 'application/json' }, payload: '{"legalName": ' }), 400, 'REQUEST.INVALID');
    const huge = JSON.stringify(submission({ legalName: 'x'.repeat(1_100_000) }));
    expectProblem(await asOfficer({ method: 'POST', url: '/api/v1/venues/venue-new/verifications', headers: { 'content-type': 'application/json' }, payload: huge }), 413, 'REQUEST.BODY_TOO_LARGE');
  });

  it('refuses bad path parameters and query strings, naming them', async () => {
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/verifications/not-a-uuid' }))).toEqual(['id']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/documents/123/content' }))).toEqual(['id']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/venues/-bad%20venue/verifications' }))).toEqual(['venueId']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/review-queue?limit=0' }))).toEqual(['limit']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/review-queue?state=verified' }))).toEqual(['state']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/audit?from=yesterday' }))).toEqual(['from']);
    expect(invalidFields(await asOfficer({ method: 'GET', url: '/api/v1/audit?tenantId=other' }))).toEqual(['(root)']);
  });

  it('refuses bad decisions on verifications and documents', async () => {
    const verification = (payload: Record<string, unknown>) => asOfficer({ method: 'POST', url: `/api/v1/verifications/${t.actionRequiredId}/decisions`, payload });
    expect(invalidFields(await verification({ decision: 'maybe' }))).toEqual(['decision']);
    expect(invalidFields(await verification({ decision: 'reject' }))).toEqual(['reason']);
    expect(invalidFields(await verification({ decision: 'reject', reason: '   ' }))).toEqual(['reason']);
    expect(invalidFields(await verification({ decision: 'approve', by: 'someone-else' }))).toEqual(['(root)']);
    const document = (payload: Record<string, unknown>) => asOfficer({ method: 'POST', url: `/api/v1/documents/${t.documentIds[2]}/decisions`, payload });
    expect(invalidFields(await document({ decision: 'approve' }))).toEqual(['decision']);
    expect(invalidFields(await document({ decision: 'rejected' }))).toEqual(['reason']);
  });

  it('refuses a bad resubmission and bad settings', async () => {
    expect(invalidFields(await asOfficer({ method: 'PUT', url: `/api/v1/verifications/${t.actionRequiredId}`, payload: submission({ ein: '00-3456789' }) }))).toEqual(['ein']);
    expect(invalidFields(await asManager({ method: 'PUT', url: '/api/v1/settings/four-eyes', payload: { enabled: 'yes', minAnnualVolumeCents: null } }))).toEqual(['enabled']);
    expect(invalidFields(await asManager({ method: 'PUT', url: '/api/v1/settings/four-eyes', payload: { enabled: true } }))).toEqual(['minAnnualVolumeCents']);
    expect(invalidFields(await asManager({ method: 'PUT', url: '/api/v1/settings/four-eyes', payload: { enabled: true, minAnnualVolumeCents: -1 } }))).toEqual(['minAnnualVolumeCents']);
  });

  describe('document uploads', () => {
    const send = (fields: Record<string, string>, file?: { name: string; contentType: string; content: Buffer }) => {
      const body = multipartBody(fields, file);
      return asOfficer({ method: 'POST', url: `/api/v1/venues/${t.venueId}/documents`, headers: body.headers, payload: body.payload });
    };

    it('refuses a file of 10 MB + 1 byte with 413 DOCUMENT.TOO_LARGE', async () => {
      const content = Buffer.concat([pdfBytes('big'), Buffer.alloc(TEN_MB + 1 - pdfBytes('big').length, 0x20)]);
      expect(content.length).toBe(TEN_MB + 1);
      expectProblem(await send({ kind: 'OTHER' }, { name: 'big.pdf', contentType: 'application/pdf', content }), 413, 'DOCUMENT.TOO_LARGE');
    }, 30_000);

    it('refuses an EXE renamed .pdf and declared application/pdf with 415', async () => {
      expectProblem(await send({ kind: 'W9' }, { name: 'w9.pdf', contentType: 'application/pdf', content: exeBytes() }), 415, 'DOCUMENT.TYPE_NOT_ALLOWED');
    });

    it('refuses an upload without a file, with an unknown kind or an unknown field', async () => {
      expectProblem(await send({ kind: 'W9' }), 400, 'DOCUMENT.INVALID_UPLOAD');
      const file = { name: 'w9.pdf', contentType: 'application/pdf', content: pdfBytes('unsent') };
      expect(invalidFields(await send({ kind: 'PASSPORT' }, file))).toEqual(['kind']);
      expect(invalidFields(await send({ kind: 'W9', uploadedBy: 'someone' }, file))).toEqual(['(root)']);
      expect(invalidFields(await send({ kind: 'ID', ownerId: 'nobody' }, file))).toEqual(['ownerId']);
      expectProblem(await asOfficer({ method: 'POST', url: `/api/v1/venues/${t.venueId}/documents`, payload: { kind: 'W9' } }), 400, 'DOCUMENT.INVALID_UPLOAD');
    });
  });
});
