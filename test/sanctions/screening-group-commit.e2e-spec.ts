import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdhocScreeningStore } from '../../src/modules/sanctions/screening/adhoc-screening.store';
import type { NewScreening } from '../../src/modules/sanctions/screening/screening.repository';
import { countRows, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';
import { withAdmin } from '../helpers/test-database';
import { startTestApp } from '../helpers/test-app';
import { callerOf, type TestCaller } from '../helpers/tokens';

function screeningOf(name: string, query: Record<string, unknown> = { name }): NewScreening {
  return { id: randomUUID(), subjectKey: `adhoc:${name}`, verificationId: null, query, result: 'CLEAR', listVersions: [], matches: [], suppressed: [] };
}

/** The screenings the application role sees with `tenantId` set: what row-level security lets through. */
async function visibleTo(databaseUrl: string, tenantId: string): Promise<number> {
  return withAdmin(databaseUrl, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query("SELECT set_config('role', 'compliance_app', true), set_config('app.tenant_id', $1, true)", [tenantId]);
      return Number((await client.query<{ count: string }>('SELECT count(*) FROM screenings')).rows[0]?.count);
    } finally {
      await client.query('ROLLBACK');
    }
  });
}

describe('ad-hoc screenings stored with group commit', () => {
  let database: { url: string; drop: () => Promise<void> };
  let app: NestFastifyApplication;
  let store: AdhocScreeningStore;
  const folder = scratchFolder('sanctions-group-commit-');

  beforeAll(async () => {
    database = await sanctionsDatabase('screening_group_commit');
    ofacCopy(folder, 'base');
    app = await startTestApp({ DATABASE_URL: database.url, SANCTIONS_IMPORT_DIR: folder });
    store = app.get(AdhocScreeningStore);
    const admin = await callerOf(['admin']);
    const imported = await app.inject({ method: 'POST', url: '/api/v1/sanctions/imports', headers: admin.headers, payload: { source: 'ofac', dir: 'base' } });
    expect(imported.statusCode).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers concurrent screenings of two tenants only once each is committed, each stored once and visible to its own tenant only', async () => {
    const callers: TestCaller[] = [await callerOf(['service']), await callerOf(['compliance_officer'])];
    const names = ['Musa Abu Marzouk', 'John Smith', 'Ayman al-Zawahiri', 'Olivia Fontaine', 'Abu Abbas', 'Maria Garcia', 'George Habash', 'Blue Note Hall LLC'];
    const answered = await Promise.all(
      Array.from({ length: 16 }, async (_unused, index) => {
        const caller = callers[index % 2] as TestCaller;
        const response = await app.inject({ method: 'POST', url: '/api/v1/screenings', headers: caller.headers, payload: { name: `${names[index % names.length]}` } });
        expect(response.statusCode).toBe(201);
        const { id } = response.json<{ id: string }>();
        // Read at once from another connection: the answer came after the commit.
        return { caller, id, storedWhenAnswered: await countRows(database.url, 'SELECT count(*) FROM screenings WHERE id = $1', [id]) };
      }),
    );
    expect(answered.map((one) => one.storedWhenAnswered)).toEqual(Array(16).fill(1));
    for (const [index, caller] of callers.entries()) {
      expect(await visibleTo(database.url, caller.tenantId)).toBe(8);
      const other = callers[1 - index] as TestCaller;
      const own = answered.find((one) => one.caller === caller)!;
      expect((await app.inject({ method: 'GET', url: `/api/v1/screenings/${own.id}`, headers: (await callerOf(['compliance_officer'], { tenantId: caller.tenantId })).headers })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/api/v1/screenings/${own.id}`, headers: (await callerOf(['compliance_officer'], { tenantId: other.tenantId })).headers })).statusCode).toBe(404);
    }
  });

  it('fails only the request whose value PostgreSQL refuses, and stores the others of its group', async () => {
    const tenantId = randomUUID();
    const settled = await Promise.allSettled([
      store.store(tenantId, 'checkout-service', [screeningOf('FIRST')]),
      // PostgreSQL's jsonb cannot hold U+0000: the whole statement fails, as one bad row would.
      store.store(tenantId, 'checkout-service', [screeningOf('REFUSED', { name: 'nul \u0000 inside' })]),
      store.store(tenantId, 'checkout-service', [screeningOf('SECOND'), screeningOf('THIRD')]),
    ]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22P05' });
    expect(await countRows(database.url, 'SELECT count(*) FROM screenings WHERE tenant_id = $1', [tenantId])).toBe(3);
    expect(await countRows(database.url, "SELECT count(*) FROM screenings WHERE tenant_id = $1 AND subject_key = 'adhoc:REFUSED'", [tenantId])).toBe(0);
  });

  it('gives every screening of one statement the same screened_at, the instant its transaction began', async () => {
    const tenantId = randomUUID();
    const rows = [screeningOf('ONE'), screeningOf('TWO')];
    const [first, second] = await Promise.all([store.store(tenantId, 'a', rows.slice(0, 1)), store.store(tenantId, 'b', rows.slice(1))]);
    expect(first).toEqual(second);
    const stored = await withAdmin(database.url, async (client) => (await client.query<{ screened_at: Date; screened_by: string }>('SELECT screened_at, screened_by FROM screenings WHERE tenant_id = $1 ORDER BY screened_by', [tenantId])).rows);
    expect(stored).toEqual([{ screened_at: first, screened_by: 'a' }, { screened_at: first, screened_by: 'b' }]);
  });
});
