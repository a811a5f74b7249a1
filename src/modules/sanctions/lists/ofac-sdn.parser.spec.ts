import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfacSdnParser, type OfacSdnFiles } from './ofac-sdn.parser';
import { SanctionsListFormatError } from './sanctions-list-format.error';

const FIXTURE = join(__dirname, '../../../../test/fixtures/sanctions/ofac');

describe('OfacSdnParser', () => {
  const parser = new OfacSdnParser();
  let files: OfacSdnFiles;

  beforeAll(async () => {
    files = await parser.readDirectory(FIXTURE);
  });

  it('reads every sdn.csv row as one entry and counts aliases, addresses and continued remarks', () => {
    const { entries, counts } = parser.parse(files);
    expect(counts.entries).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(600);
    expect(counts.byType.individual + counts.byType.entity + counts.byType.vessel + counts.byType.aircraft).toBe(entries.length);
    expect(counts.aliases).toBeGreaterThan(0);
    expect(counts.remarksContinued).toBeGreaterThan(0);
  });

  it('takes DOB, identifiers and weak AKAs out of the remarks', () => {
    const entry = parser.parse(files).entries.find((e) => e.sourceId === '3754')!;
    expect(entry).toMatchObject({ source: 'ofac_sdn', list: 'OFAC-SDN', type: 'individual', primaryName: 'ABU MARZOOK, Mousa Mohammed' });
    expect(entry.datesOfBirth).toEqual(['1951-02-09']);
    expect(entry.identifiers).toContainEqual({ type: 'Passport', value: '92/664', country: 'EG' });
    expect(entry.aliases).toContainEqual({ name: "ABU-'UMAR", kind: 'weak_aka', quality: 'weak' });
    expect(entry.aliases).toContainEqual({ name: 'MARZUK, Musa Abu', kind: 'aka', quality: 'strong' });
  });

  it('appends sdn_comments.csv to the remarks it continues', () => {
    const entry = parser.parse(files).entries.find((e) => e.sourceId === '28263')!;
    expect(entry.remarks.endsWith("a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP.")).toBe(true);
    expect(entry.aliases.map((a) => a.name)).toContain('snowsjohn');
  });

  it('splits multi-programme fields and treats an empty SDN_Type as an entity', () => {
    const bank = parser.parse(files).entries.find((e) => e.sourceId === '306')!;
    expect(bank.type).toBe('entity');
    expect(bank.programs).toEqual(['CUBA']);
    expect(bank.addresses[0]).toEqual({ street: 'Zweierstrasse 35', cityStatePostal: 'Zurich CH-8022', country: 'CH' });
  });

  it('gives a changed entry a different content hash and an unchanged one the same', () => {
    const before = parser.parse(files).entries.find((e) => e.sourceId === '306')!;
    const again = parser.parse(files).entries.find((e) => e.sourceId === '306')!;
    const changed = parser.parse({ ...files, sdn: files.sdn.replace("a.k.a. 'BNC'.", "a.k.a. 'BNCU'.") }).entries.find((e) => e.sourceId === '306')!;
    expect(again.contentHash).toBe(before.contentHash);
    expect(changed.contentHash).not.toBe(before.contentHash);
    expect(before.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a row with the wrong column count, naming file and line', () => {
    const sdn = `${files.sdn.split('\n')[0]}\n999,"SHORT ROW",-0-\n`;
    expect(() => parser.parse({ ...files, sdn, alt: '', add: '', comments: '' })).toThrow(
      expect.objectContaining({ name: 'SanctionsListFormatError', file: 'sdn.csv', line: 2, reason: 'expected 12 columns, found 3' }),
    );
  });

  it('rejects a non-numeric ent_num', () => {
    const sdn = `X36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n`;
    expect(() => parser.parse({ sdn, alt: '', add: '', comments: '' })).toThrow(SanctionsListFormatError);
  });

  it('rejects an alias of an entry that is not in sdn.csv', () => {
    const alt = '123456789,1,"aka","NOBODY",-0- \n';
    expect(() => parser.parse({ ...files, alt })).toThrow(/alt\.csv:1: ent_num 123456789 is not in sdn\.csv/);
  });

  it('reports a missing file as a format error, not an empty list', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ofac-'));
    await expect(parser.readDirectory(empty)).rejects.toMatchObject({ code: 'SANCTIONS.LIST_FORMAT', line: 0 });
  });

  it('keeps the OFAC quoting of names with embedded commas', async () => {
    const raw = await readFile(join(FIXTURE, 'sdn.csv'), 'utf8');
    expect(raw).toContain('"ANGLO-CARIBBEAN CO., LTD."');
    expect(parser.parse(files).entries.find((e) => e.sourceId === '173')!.primaryName).toBe('ANGLO-CARIBBEAN CO., LTD.');
  });
});
