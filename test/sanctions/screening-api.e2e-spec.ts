import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { countRows, modifiedOfac, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';

interface Hit { sdnId: string; list: string; matchedNameKind: string; score: number; outcome: string; explanation: { tokens: unknown[] } }
interface Screening { id: string; result: string; listVersion: string; matches: Hit[]; suppressed: Hit[] }

describe('sanctions screening over HTTP', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let admin: TestCaller;
  let officer: TestCaller;
  let service: TestCaller;
  const folder = scratchFolder('sanctions-imports-');

  beforeAll(async () => {
    database = await sanctionsDatabase('screening_api');
    ofacCopy(folder, 'base');
    ofacCopy(folder, 'modified', modifiedOfac);
    ofacCopy(folder, 'broken', (file, text) => (file === 'alt.csv' ? text.replace('2676,4760,"aka",', '2676,4760,') : text));
    app = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_IMPORT_DIR: folder });
    admin = await callerOf(['admin']);
    officer = await callerOf(['compliance_officer'], { tenantId: admin.tenantId });
    service = await callerOf(['service'], { tenantId: admin.tenantId, userId: 'checkout-service' });
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const importList = (dir: string, caller = admin) => app.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: caller.headers, payload: { source: 'ofac', dir } });
  const screen = (payload: unknown, caller = service) => app.inject({ method: 'POST', url: '/api/v1/screenings', headers: caller.headers, payload: payload as Record<string, unknown> });
  const screenName = async (name: string, caller = service): Promise<Screening> => {
    const response = await screen({ name }, caller);
    if (response.statusCode !== 201) throw new Error(`screen ${name}: ${response.statusCode} ${response.body}`);
    return response.json<Screening>();
  };
  const screeningRows = () => countRows(database.url, 'SELECT count(*) FROM screenings');

  it('answers 503 rather than CLEAR while no list is loaded', async () => {
    const response = await screen({ name: 'Ayman al-Zawahiri' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SANCTIONS.NO_LIST_LOADED' });
  });

  it('imports a list from the import folder for admins only, and a re-import of the same files changes nothing', async () => {
    expect((await importList('base', officer)).statusCode).toBe(403);
    const first = await importList('base');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'imported', entries: 614 });
    const again = await importList('base');
    expect(again.json()).toMatchObject({ status: 'unchanged', versionId: first.json().versionId });
    expect((await importList('../../etc')).statusCode).toBe(400);
  });

  it('refuses a malformed list with 422 naming the line, and keeps screening against the active one', async () => {
    const before = await screenName('Ayman al-Zawahiri');
    const response = await importList('broken');
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'SANCTIONS.LIST_FORMAT', detail: expect.stringMatching(/^alt\.csv:5: /) });
    expect(await screenName('Ayman al-Zawahiri')).toMatchObject({ result: 'MATCH', listVersion: before.listVersion });
  });

  it.each([
    ['Ayman al-Zawahiri', '2676', 'primary'],
    ['AL ZAWAHIRI, Dr. Ayman', '2676', 'primary'],
    ['Musa Abu Marzouk', '3754', 'aka'],
    ['George Habash', '2680', 'aka'],
    ['Banco Nacional de Cuba', '306', 'primary'],
    ['National Bank of Cuba', '306', 'aka'],
    ['Aerocaribbean Airlines', '36', 'primary'],
  ])('screens %s as a MATCH on entry %s (%s name), with an explanation', async (name, sdnId, kind) => {
    const screening = await screenName(name);
    expect(screening.result).toBe('MATCH');
    expect(screening.matches[0]).toMatchObject({ sdnId, list: 'OFAC-SDN', matchedNameKind: kind, outcome: 'MATCH' });
    expect(screening.matches[0]?.explanation.tokens.length).toBeGreaterThan(0);
  });

  it.each(['John Smith', 'Olivia Fontaine', 'Blue Note Hall LLC'])('clears %s', async (name) => {
    expect(await screenName(name)).toMatchObject({ result: 'CLEAR', matches: [] });
  });

  it.each(['CORP', 'EMMA LLC', 'George Bush'])('never calls %s a MATCH', async (name) => {
    expect((await screenName(name)).result).not.toBe('MATCH');
  });

  it('stores each screening with its list version for the tenant, and hides it from other tenants', async () => {
    const screening = await screenName('Musa Abu Marzouk');
    const stored = await app.inject({ method: 'GET', url: `/api/v1/screenings/${screening.id}`, headers: officer.headers });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ id: screening.id, result: 'MATCH', listVersion: screening.listVersion, subjectKey: 'adhoc:MUSA ABU MARZOUK' });
    const stranger = await callerOf(['compliance_officer']);
    const hidden = await app.inject({ method: 'GET', url: `/api/v1/screenings/${screening.id}`, headers: stranger.headers });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('RESOURCE.NOT_FOUND');
  });

  it.each([
    ['an empty name', { name: '   ' }],
    ['a 10 kB name', { name: 'A'.repeat(10_240) }],
    ['a number for a name', { name: 42 }],
    ['an unknown type', { name: 'John Smith', type: 'robot' }],
    ['a malformed date of birth', { name: 'John Smith', dateOfBirth: '10/12/1980' }],
    ['an unknown field', { name: 'John Smith', tenantId: 'x' }],
  ])('answers 400 problem+json to %s and writes nothing', async (_case, payload) => {
    const before = await screeningRows();
    const response = await screen(payload);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await screeningRows()).toBe(before);
  });

  it('answers 400 naming the unknown lists, and screens the known ones', async () => {
    const before = await screeningRows();
    const response = await screen({ name: 'John Smith', lists: ['OFAC-SDN', 'EU-FSF', 'UK-HMT'] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SANCTIONS.UNKNOWN_LISTS', detail: expect.stringContaining('EU-FSF, UK-HMT') });
    expect(await screeningRows()).toBe(before);
    expect((await screen({ name: 'Abu Abbas', lists: ['OFAC-SDN'] })).json()).toMatchObject({ result: 'MATCH' });
  });

  it('screens a batch in order against one list version, and refuses more than 1,000 names', async () => {
    const names = ['Abu Abbas', 'John Smith', ...Array.from({ length: 998 }, (_unused, index) => `Person Number${index} Example`)];
    const response = await app.inject({ method: 'POST', url: '/api/v1/screenings/batch', headers: service.headers, payload: { items: names.map((name) => ({ name })) } });
    expect(response.statusCode).toBe(200);
    const items = response.json<{ items: Screening[] }>().items;
    expect(items).toHaveLength(1000);
    expect(items.slice(0, 2).map((item) => item.result)).toEqual(['MATCH', 'CLEAR']);
    expect(new Set(items.map((item) => item.listVersion)).size).toBe(1);
    const tooMany = await app.inject({ method: 'POST', url: '/api/v1/screenings/batch', headers: service.headers, payload: { items: [...names, 'One More'].map((name) => ({ name })) } });
    expect(tooMany.statusCode).toBe(400);
  }, 30_000);

  it('remembers a false positive for the subject and suppresses the hit until the list entry changes', async () => {
    const first = await screenName('Musa Abu Marzouk');
    const disposition = await app.inject({
      method: 'POST', url: `/api/v1/screenings/${first.id}/matches/3754/disposition`, headers: officer.headers,
      payload: { decision: 'false_positive', reason: 'Our customer is a Boston dentist born 1984, passport checked' },
    });
    expect(disposition.statusCode).toBe(200);
    expect(disposition.json()).toMatchObject({ decision: 'false_positive', sdnId: '3754', decidedBy: officer.userId, verificationSanctionsStatus: null });
    expect((await app.inject({ method: 'POST', url: `/api/v1/screenings/${first.id}/matches/999/disposition`, headers: officer.headers, payload: { decision: 'false_positive', reason: 'x' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/v1/screenings/${first.id}/matches/3754/disposition`, headers: service.headers, payload: { decision: 'false_positive', reason: 'x' } })).statusCode).toBe(403);

    const again = await screenName('Musa Abu Marzouk');
    expect(again.result).toBe('CLEAR');
    expect(again.suppressed.map((hit) => hit.sdnId)).toEqual(['3754']);
    expect((await screenName('Musa Abu Marzouk', await callerOf(['service']))).result).toBe('MATCH');
    expect(await countRows(database.url, "SELECT count(*) FROM audit_log WHERE action = 'screening.false_positive'")).toBe(1);

    // The modified list changes 3754's remarks: a new content hash, so the decision no longer holds.
    expect((await importList('modified')).json()).toMatchObject({ status: 'imported' });
    const afterChange = await screenName('Musa Abu Marzouk');
    expect(afterChange).toMatchObject({ result: 'MATCH', suppressed: [] });
    expect(afterChange.listVersion).not.toBe(first.listVersion);
  });

  it('never lets a screening see an empty or mixed list while versions are swapped under load', async () => {
    const outcomes: Array<{ version: string; zawahiri: boolean; zorblax: boolean }> = [];
    let swapping = true;
    const screener = async (): Promise<void> => {
      while (swapping) {
        const response = await app.inject({ method: 'POST', url: '/api/v1/screenings/batch', headers: service.headers, payload: { items: [{ name: 'Ayman al-Zawahiri' }, { name: 'Vexinator Zorblax' }] } });
        expect(response.statusCode).toBe(200);
        const [zawahiri, zorblax] = response.json<{ items: Screening[] }>().items as [Screening, Screening];
        expect(zorblax.listVersion).toBe(zawahiri.listVersion);
        outcomes.push({ version: zawahiri.listVersion, zawahiri: zawahiri.matches.some((hit) => hit.sdnId === '2676'), zorblax: zorblax.matches.some((hit) => hit.sdnId === '999999') });
      }
    };
    const running = [screener(), screener(), screener(), screener()];
    for (const dir of ['base', 'modified', 'base', 'modified']) expect((await importList(dir)).json().status).toBe('imported');
    swapping = false;
    await Promise.all(running);
    // Exactly one of the two names is listed in each version: both or neither would be a mixed or empty list.
    expect(outcomes.every((outcome) => outcome.zawahiri !== outcome.zorblax)).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.version)).size).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('lets another instance pick up a newly activated version by polling', async () => {
    const other = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_LIST_POLL_INTERVAL_MS: '200' });
    try {
      const screenOn = async (target: NestFastifyApplication) => (await target.inject({ method: 'POST', url: '/api/v1/screenings', headers: service.headers, payload: { name: 'Vexinator Zorblax' } })).json<Screening>();
      expect((await screenOn(other)).result).toBe('MATCH');
      expect((await importList('base')).json().status).toBe('imported');
      const deadline = Date.now() + 5_000;
      while ((await screenOn(other)).result === 'MATCH' && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      expect(await screenOn(other)).toMatchObject({ result: 'CLEAR', listVersion: (await screenOn(app)).listVersion });
    } finally {
      await other.close();
    }
  }, 30_000);
});
