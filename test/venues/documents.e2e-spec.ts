import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { pdfBytes, pngBytes } from '../fixtures/document-bytes';
import { countRows, superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf } from '../helpers/tokens';
import { upload } from '../helpers/venue-flow';

describe('venue documents', () => {
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

  it('answers an identical re-upload with 200 and the same document, storing it once', async () => {
    const officer = await callerOf(['compliance_officer']);
    const first = await upload(app, officer, 'venue-docs', { kind: 'W9' }, pdfBytes('same'));
    const second = await upload(app, officer, 'venue-docs', { kind: 'W9' }, pdfBytes('same'), 'renamed.pdf');
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect(await countRows(db, 'documents', officer.tenantId)).toBe(1);
    expect(await countRows(db, 'document_contents', officer.tenantId)).toBe(1);
    const racing = await Promise.all([1, 2, 3].map(() => upload(app, officer, 'venue-docs', { kind: 'W9' }, pdfBytes('raced'))));
    expect(new Set(racing.map((response) => response.json<{ id: string }>().id)).size).toBe(1);
    expect(racing.map((response) => response.statusCode).sort()).toEqual([200, 200, 201]);
    expect(await countRows(db, 'documents', officer.tenantId)).toBe(2);
  });

  it('serves the bytes as an attachment with the type decided at upload, never sniffed', async () => {
    const owner = await callerOf(['venue_owner'], { venueIds: ['venue-content'] });
    // Declared as a PDF; the bytes are a PNG, so it is stored and served as one.
    const uploaded = await upload(app, owner, 'venue-content', { kind: 'OTHER' }, pngBytes(), 'Straße scan.pdf', 'application/pdf');
    expect(uploaded.statusCode).toBe(201);
    const id = uploaded.json<{ id: string }>().id;
    const content = await app.inject({ method: 'GET', url: `/api/v1/documents/${id}/content`, headers: owner.headers });
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(pngBytes())).toBe(true);
    expect(content.headers).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-disposition': expect.stringMatching(/^attachment; filename="Stra_e scan.pdf"; filename\*=UTF-8''Stra%C3%9Fe%20scan.pdf$/),
      'cache-control': 'private, no-store',
    });
    const metadata = await app.inject({ method: 'GET', url: `/api/v1/documents/${id}`, headers: owner.headers });
    expect(metadata.json()).toMatchObject({ id, contentType: 'image/png', sizeBytes: pngBytes().length, status: 'pending', uploadedBy: owner.userId });
  });
});
