import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { allAuditEntries } from '../helpers/audit-api';
import { expectProblem } from '../helpers/problem';
import { raiseFlag } from '../helpers/risk-flow';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';
import { startVerification } from '../helpers/venue-flow';

interface FlagItem {
  id: string;
  venueId: string;
  severity: string;
  category: string;
  status: string;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

describe('risk flags', () => {
  let app: NestFastifyApplication;
  let officer: TestCaller;
  let manager: TestCaller;
  let fraudService: TestCaller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    officer = await callerOf(['compliance_officer']);
    manager = await callerOf(['compliance_manager'], { tenantId: officer.tenantId });
    fraudService = await callerOf(['service'], { tenantId: officer.tenantId, userId: 'fraud-service' });
    await startVerification(app, officer, 'venue-north');
    await startVerification(app, officer, 'venue-south');
    ids.northLow = await raiseFlag(app, officer, 'venue-north', 'low', 'adverse_media');
    ids.northCritical = await raiseFlag(app, fraudService, 'venue-north', 'critical', 'chargebacks');
    ids.southHigh = await raiseFlag(app, officer, 'venue-south', 'high', 'chargebacks');
    ids.southMedium = await raiseFlag(app, officer, 'venue-south', 'medium', 'identity');
  }, 60_000);

  afterAll(async () => {
    await app.close();
  });

  const list = async (query: string, caller = officer) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/risk/flags${query}`, headers: caller.headers });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: FlagItem[]; nextCursor: string | null }>();
  };
  const resolve = (id: string, note: string, caller = officer) => app.inject({ method: 'POST', url: `/api/v1/risk/flags/${id}/resolve`, headers: caller.headers, payload: { note } });

  it('raises an open flag with who raised it', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: fraudService.headers, payload: { venueId: 'venue-north', severity: 'low', category: 'velocity', description: 'Ten refunds in an hour' } });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ venueId: 'venue-north', severity: 'low', category: 'velocity', description: 'Ten refunds in an hour', status: 'open', raisedBy: 'fraud-service', resolvedAt: null });
    ids.northVelocity = response.json<{ id: string }>().id;
  });

  it('lists newest first and filters by venue, status, severity and category', async () => {
    expect((await list('')).items.map((item) => item.id)).toEqual([ids.northVelocity, ids.southMedium, ids.southHigh, ids.northCritical, ids.northLow]);
    expect((await list('?venueId=venue-south')).items.map((item) => item.id)).toEqual([ids.southMedium, ids.southHigh]);
    expect((await list('?severity=critical')).items.map((item) => item.id)).toEqual([ids.northCritical]);
    expect((await list('?category=chargebacks&venueId=venue-north')).items.map((item) => item.id)).toEqual([ids.northCritical]);
    expect((await list('?status=resolved')).items).toEqual([]);
  });

  it('pages with a cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: FlagItem[]; nextCursor: string | null } = await list(`?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([ids.northVelocity, ids.southMedium, ids.southHigh, ids.northCritical, ids.northLow]);
  });

  it('resolves a flag with a note, once; a second resolution is a 409', async () => {
    const resolved = await resolve(ids.southHigh as string, 'Chargebacks were a processor error');
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: officer.userId, resolutionNote: 'Chargebacks were a processor error', resolvedAt: expect.any(String) });
    expectProblem(await resolve(ids.southHigh as string, 'again'), 409, 'RISK.FLAG_ALREADY_RESOLVED');
    expect((await list('?status=resolved')).items.map((item) => item.id)).toEqual([ids.southHigh]);
    expect((await list('?status=open&venueId=venue-south')).items.map((item) => item.id)).toEqual([ids.southMedium]);
  });

  it('counts only open flags in the venue\'s assessment', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/risk/assessments', headers: officer.headers, payload: { venueId: 'venue-south' } });
    const flagFactors = response.json<{ factors: Array<{ key: string; evidence: { flagId?: string } }> }>().factors.filter((factor) => factor.key.startsWith('flags.'));
    expect(flagFactors.map((factor) => [factor.key, factor.evidence.flagId])).toEqual([['flags.open.medium', ids.southMedium]]);
  });

  it('answers 404 for an unknown venue, another tenant\'s venue and another tenant\'s flag', async () => {
    const stranger = await callerOf(['compliance_manager']);
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: officer.headers, payload: { venueId: 'venue-nobody', severity: 'low', category: 'other', description: 'x' } }), 404, 'RESOURCE.NOT_FOUND');
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/risk/flags', headers: stranger.headers, payload: { venueId: 'venue-north', severity: 'low', category: 'other', description: 'x' } }), 404, 'RESOURCE.NOT_FOUND');
    expectProblem(await resolve(ids.northLow as string, 'not mine', stranger), 404, 'RESOURCE.NOT_FOUND');
    expect((await list('', stranger)).items).toEqual([]);
    expect((await list('?status=open')).items.map((item) => item.id)).toContain(ids.northLow);
  });

  it('lets services raise and read flags but not resolve them', async () => {
    expectProblem(await resolve(ids.northLow as string, 'auto', fraudService), 403, 'AUTH.FORBIDDEN');
  });

  it('audits raising and resolving', async () => {
    const entries = await allAuditEntries(app, manager, { resourceId: ids.southHigh as string });
    expect(entries.map((entry) => entry.action).sort()).toEqual(['risk_flag.raised', 'risk_flag.resolved']);
    expect(entries.find((entry) => entry.action === 'risk_flag.resolved')).toMatchObject({ actor: officer.userId, before: { status: 'open' }, after: { status: 'resolved', note: 'Chargebacks were a processor error' } });
  });
});
