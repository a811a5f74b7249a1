import { RequestMethod, type Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IdempotencyInterceptor } from '../../src/common/idempotency/idempotency.interceptor';
import type { Client } from 'pg';
import { expectProblem } from '../helpers/problem';
import { countRows, superuserClient } from '../helpers/tenant-tables';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { submission } from '../helpers/venue-flow';

describe('Idempotency-Key on POST', () => {
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

  it('covers every POST of the API: each controller with a POST route under api/ is @Idempotent()', () => {
    const controllers = [...app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()].map((wrapper) => wrapper.metatype as Type));
    const posting = controllers.filter((controller) => {
      const path = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const methods = Object.getOwnPropertyNames(controller.prototype).map((name) => (controller.prototype as Record<string, unknown>)[name]);
      return path.startsWith('api/') && methods.some((method) => typeof method === 'function' && Reflect.getMetadata(METHOD_METADATA, method) === RequestMethod.POST);
    });
    expect(posting.length).toBeGreaterThanOrEqual(11);
    const uncovered = posting.filter((controller) => !((Reflect.getMetadata(INTERCEPTORS_METADATA, controller) ?? []) as unknown[]).includes(IdempotencyInterceptor));
    expect(uncovered.map((controller) => controller.name)).toEqual([]);
  });

  const start = (caller: TestCaller, venueId: string, key: string, overrides: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: `/api/v1/venues/${venueId}/verifications`, headers: { ...caller.headers, 'idempotency-key': key }, payload: submission(overrides) });

  it('replays the stored response for the same key and body, writing no second row or audit entry', async () => {
    const officer = await callerOf(['compliance_officer']);
    const first = await start(officer, 'venue-idem', 'key-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    const counts = { verifications: await countRows(db, 'venue_verifications', officer.tenantId), audit: await countRows(db, 'audit_log', officer.tenantId) };
    expect(counts).toEqual({ verifications: 1, audit: 1 });

    const again = await start(officer, 'venue-idem', 'key-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect({ verifications: await countRows(db, 'venue_verifications', officer.tenantId), audit: await countRows(db, 'audit_log', officer.tenantId) }).toEqual(counts);
  });

  it('replays a decision with its own status (200), not a second decision', async () => {
    const officer = await callerOf(['compliance_officer']);
    const verification = (await start(officer, 'venue-idem-decision', 'start')).json<{ id: string }>();
    const send = () =>
      app.inject({ method: 'POST', url: `/api/v1/verifications/${verification.id}/decisions`, headers: { ...officer.headers, 'idempotency-key': 'decide-1' }, payload: { decision: 'reject', reason: 'Closed' } });
    expect((await send()).statusCode).toBe(200);
    const replay = await send();
    expect({ status: replay.statusCode, replayed: replay.headers['idempotency-replayed'], state: replay.json<{ state: string }>().state }).toEqual({ status: 200, replayed: 'true', state: 'rejected' });
    expect(await countRows(db, 'verification_decisions', officer.tenantId)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY.KEY_REUSED to the same key with another body, writing nothing', async () => {
    const officer = await callerOf(['compliance_officer']);
    expect((await start(officer, 'venue-reuse', 'key-reused')).statusCode).toBe(201);
    expectProblem(await start(officer, 'venue-reuse', 'key-reused', { legalName: 'Another Hall LLC' }), 422, 'IDEMPOTENCY.KEY_REUSED');
    // The same key and body on another endpoint is another request too.
    expectProblem(await start(officer, 'venue-reuse-elsewhere', 'key-reused'), 422, 'IDEMPOTENCY.KEY_REUSED');
    expect(await countRows(db, 'venue_verifications', officer.tenantId)).toBe(1);
    expect(await countRows(db, 'audit_log', officer.tenantId)).toBe(1);
  });

  it('releases the key of a request that failed, so the retry is processed', async () => {
    const officer = await callerOf(['compliance_officer']);
    const open = await start(officer, 'venue-busy', 'first');
    expect(open.statusCode).toBe(201);
    // The venue already has an open verification: 409, and the key must not keep that answer.
    const conflict = await start(officer, 'venue-busy', 'retry-me');
    expectProblem(conflict, 409, 'VERIFICATION.ALREADY_OPEN');
    expect(await countRows(db, 'idempotency_keys', officer.tenantId)).toBe(1);
    const invalid = await start(officer, 'venue-busy', 'bad-body', { ein: '00-0000000' });
    expect(invalid.statusCode).toBe(400);
    expect(await countRows(db, 'idempotency_keys', officer.tenantId)).toBe(1);
    // Once the open verification is decided, the same key and body go through.
    const rejected = await app.inject({ method: 'POST', url: `/api/v1/verifications/${open.json<{ id: string }>().id}/decisions`, headers: officer.headers, payload: { decision: 'reject', reason: 'Closed' } });
    expect(rejected.statusCode).toBe(200);
    const retried = await start(officer, 'venue-busy', 'retry-me');
    expect({ status: retried.statusCode, replayed: retried.headers['idempotency-replayed'], state: retried.json<{ state: string }>().state }).toEqual({ status: 201, replayed: undefined, state: 'pending' });
  });

  it('keeps keys per caller and per tenant', async () => {
    const officer = await callerOf(['compliance_officer']);
    const colleague = await callerOf(['compliance_officer'], { tenantId: officer.tenantId });
    const stranger = await callerOf(['compliance_officer']);
    expect((await start(officer, 'venue-a', 'shared-key')).statusCode).toBe(201);
    const byColleague = await start(colleague, 'venue-b', 'shared-key');
    expect({ status: byColleague.statusCode, replayed: byColleague.headers['idempotency-replayed'] }).toEqual({ status: 201, replayed: undefined });
    const byStranger = await start(stranger, 'venue-a', 'shared-key');
    expect({ status: byStranger.statusCode, replayed: byStranger.headers['idempotency-replayed'] }).toEqual({ status: 201, replayed: undefined });
    expect(await countRows(db, 'venue_verifications', officer.tenantId)).toBe(2);
    expect(await countRows(db, 'venue_verifications', stranger.tenantId)).toBe(1);
  });

  it('refuses a key that is not 1–255 visible ASCII characters', async () => {
    const officer = await callerOf(['compliance_officer']);
    expectProblem(await start(officer, 'venue-bad-key', 'x'.repeat(256)), 400, 'IDEMPOTENCY.KEY_INVALID');
    expect(await countRows(db, 'venue_verifications', officer.tenantId)).toBe(0);
  });
});
