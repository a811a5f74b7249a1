import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withAdmin } from '../helpers/test-database';
import { countRows, importWithCli, OFAC_FIXTURE, OFAC_SNAPSHOT, ofacCopy, sanctionsDatabase, scratchFolder } from '../helpers/sanctions-lists';

interface Outcome {
  status: 'imported' | 'unchanged';
  versionId: string;
  entries: number;
  aliases: number;
  durationMs: number;
}

const outcomeOf = (stdout: string): Outcome => JSON.parse(stdout.trim().split('\n').at(-1) as string) as Outcome;

describe('npm run sanctions:import', () => {
  let database: { url: string; drop: () => Promise<void> };
  const activeVersionId = (): Promise<string[]> =>
    withAdmin(database.url, async (client) => (await client.query<{ id: string }>("SELECT id FROM sanctions_list_versions WHERE active AND source = 'ofac_sdn'")).rows.map((row) => row.id));

  beforeAll(async () => {
    database = await sanctionsDatabase('sanctions_import');
  });
  afterAll(async () => database.drop());

  it('imports the real SDN snapshot: 8,976 entries, within 10 s, logging progress', async () => {
    const result = await importWithCli(database.url, ['--dir', OFAC_SNAPSHOT]);
    expect(result.code).toBe(0);
    const outcome = outcomeOf(result.stdout);
    expect(outcome).toMatchObject({ status: 'imported', entries: 8976 });
    expect(await countRows(database.url, 'SELECT count(*) FROM sanctions_list_entries WHERE version_id = $1', [outcome.versionId])).toBe(8976);
    expect(result.stderr).toMatch(/stored 1000\/8976 entries/);
    // The figure the issue asks for, printed with the test output.
    process.stdout.write(`\n  real SDN import: ${outcome.entries} entries, ${outcome.aliases} aliases in ${outcome.durationMs} ms\n`);
    expect(outcome.durationMs).toBeLessThan(10_000);
  }, 60_000);

  it('treats a re-import of identical files as a no-op', async () => {
    const [before] = await activeVersionId();
    const result = await importWithCli(database.url, ['--dir', OFAC_SNAPSHOT]);
    expect(result.code).toBe(0);
    expect(outcomeOf(result.stdout)).toMatchObject({ status: 'unchanged', versionId: before, entries: 8976 });
    expect(await countRows(database.url, 'SELECT count(*) FROM sanctions_list_versions')).toBe(1);
  }, 30_000);

  it('refuses a malformed file with exit 1, naming file and line, and leaves the active list as it was', async () => {
    const [before] = await activeVersionId();
    const broken = ofacCopy(scratchFolder('sdn-broken-'), 'ofac', (file, text) => (file === 'sdn.csv' ? text.replace('2676,"AL ZAWAHIRI, Dr. Ayman","individual",', '2676,"AL ZAWAHIRI, Dr. Ayman",') : text));
    const result = await importWithCli(database.url, ['--dir', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sdn\.csv:8: expected 12 columns, found 11/);
    expect(await activeVersionId()).toEqual([before]);
    expect(await countRows(database.url, 'SELECT count(*) FROM sanctions_list_entries')).toBe(8976);
  });

  it('refuses an unreadable folder and an empty list the same way', async () => {
    const missing = await importWithCli(database.url, ['--dir', join(scratchFolder('sdn-missing-'), 'nothing')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/sdn\.csv: cannot read/);
    const empty = ofacCopy(scratchFolder('sdn-empty-'), 'ofac', () => '');
    const result = await importWithCli(database.url, ['--dir', empty]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no entries/);
  });

  it('loads an OpenSanctions CSV as a second source beside OFAC, and says how to call it when arguments are missing', async () => {
    const file = join(scratchFolder('opensanctions-'), 'targets.simple.csv');
    writeFileSync(file, readFileSync(join(OFAC_FIXTURE, '..', 'opensanctions-targets.simple.csv')));
    const result = await importWithCli(database.url, ['--source', 'opensanctions', '--file', file]);
    expect(result.code).toBe(0);
    expect(outcomeOf(result.stdout)).toMatchObject({ status: 'imported', entries: 10 });
    expect(await countRows(database.url, 'SELECT count(*) FROM sanctions_list_versions WHERE active')).toBe(2);
    expect((await importWithCli(database.url, ['--source', 'opensanctions'])).code).toBe(2);
  });

  it('activates a new version in place of the old and keeps only the previous one', async () => {
    const [first] = await activeVersionId();
    const fixture = outcomeOf((await importWithCli(database.url, ['--dir', OFAC_FIXTURE])).stdout);
    expect(fixture.status).toBe('imported');
    expect(await activeVersionId()).toEqual([fixture.versionId]);
    const modified = ofacCopy(scratchFolder('sdn-mod-'), 'ofac', (file, text) => (file === 'sdn.csv' ? text.replace('Dr. Ayman', 'Ayman') : text));
    const third = outcomeOf((await importWithCli(database.url, ['--dir', modified])).stdout);
    expect(await activeVersionId()).toEqual([third.versionId]);
    const kept = await countRows(database.url, "SELECT count(*) FROM sanctions_list_versions WHERE source = 'ofac_sdn' AND id = ANY($1::uuid[])", [[first, fixture.versionId]]);
    expect(kept).toBe(1);
  }, 30_000);
});
