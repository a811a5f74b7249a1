import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OFAC_FIXTURE, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';
import { startTestApp } from '../helpers/test-app';
import { withAdmin } from '../helpers/test-database';
import { callerOf, type TestCaller } from '../helpers/tokens';

interface Screening { result: string; matches: Array<{ score: number; list: string; sdnId: string }> }

/** A misspelt listed name: a hit under the default thresholds, below 0.99. */
const MISSPELT = 'Aiman al-Zawahri';

describe('sanctions configuration: match thresholds and the list age readiness allows', () => {
  let database: { url: string; drop: () => Promise<void> };
  let defaults: NestFastifyApplication;
  let strict: NestFastifyApplication;
  let admin: TestCaller;
  let service: TestCaller;
  const folder = scratchFolder('sanctions-configuration-');

  beforeAll(async () => {
    database = await sanctionsDatabase('sanctions_configuration');
    ofacCopy(folder, 'base');
    defaults = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_IMPORT_DIR: folder });
    admin = await callerOf(['admin']);
    service = await callerOf(['service'], { tenantId: admin.tenantId });
    const imported = await defaults.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: admin.headers, payload: { source: 'ofac', dir: 'base' } });
    expect(imported.statusCode).toBe(200);
    // The list as if imported two hours ago: older than the strict instance's SANCTIONS_LIST_MAX_AGE_HOURS.
    await withAdmin(database.url, (client) => client.query("UPDATE sanctions_list_versions SET loaded_at = now() - interval '2 hours'"));
    strict = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_MATCH_THRESHOLDS: '0.99,1', SANCTIONS_LIST_MAX_AGE_HOURS: '1' });
  }, 60_000);

  afterAll(async () => {
    await strict?.close();
    await defaults?.close();
    await database.drop();
  });

  const screen = async (app: NestFastifyApplication, name: string, lists?: string[]): Promise<Screening> => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/screenings', headers: service.headers, payload: { name, ...(lists === undefined ? {} : { lists }) } });
    expect(response.statusCode).toBe(201);
    return response.json<Screening>();
  };
  const sanctionsListHealth = async (app: NestFastifyApplication) =>
    (await app.inject({ method: 'GET', url: '/health/ready' })).json<{ components: Record<string, unknown> }>().components.sanctions_list;

  it('judges hits by SANCTIONS_MATCH_THRESHOLDS, and instances with other thresholds never share cached results', async () => {
    const byDefault = await screen(defaults, MISSPELT);
    expect(byDefault.result).not.toBe('CLEAR');
    expect(byDefault.matches[0]?.score).toBeLessThan(0.99);
    // Same normalised query, list version and Redis: the default instance's cached hit must not be reused.
    expect(await screen(strict, MISSPELT)).toMatchObject({ result: 'CLEAR', matches: [] });
    expect((await screen(defaults, MISSPELT)).result).toBe(byDefault.result);
  });

  it('reports the sanctions list degraded once the newest list is older than SANCTIONS_LIST_MAX_AGE_HOURS, healthy within it', async () => {
    expect(await sanctionsListHealth(strict)).toEqual({ status: 'degraded', error: 'the newest sanctions list was loaded 2 h ago' });
    expect(await sanctionsListHealth(defaults)).toEqual({ status: 'healthy' });
  });

  it('screens against an OpenSanctions list imported beside OFAC, each hit naming its list, and `lists` restricts the screening', async () => {
    copyFileSync(join(OFAC_FIXTURE, '..', 'opensanctions-targets.simple.csv'), join(folder, 'targets.simple.csv'));
    const imported = await defaults.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: admin.headers, payload: { source: 'opensanctions', file: 'targets.simple.csv' } });
    expect(imported.json()).toMatchObject({ status: 'imported', entries: 10 });
    const both = await screen(defaults, 'Vladimir Vladimirovich Putin');
    expect(both.result).toBe('MATCH');
    const list = both.matches[0]?.list as string;
    expect(list).not.toBe('OFAC-SDN');
    expect(await screen(defaults, 'Vladimir Vladimirovich Putin', [list])).toMatchObject({ result: 'MATCH', matches: [expect.objectContaining({ list })] });
    expect(await screen(defaults, 'Vladimir Vladimirovich Putin', ['OFAC-SDN'])).toMatchObject({ result: 'CLEAR', matches: [] });
    // OFAC's entries still answer beside the new list, with OFAC's own numeric id.
    expect((await screen(defaults, 'Ayman al-Zawahiri')).matches[0]).toMatchObject({ list: 'OFAC-SDN', sdnId: expect.stringMatching(/^\d+$/) });
  });
});
