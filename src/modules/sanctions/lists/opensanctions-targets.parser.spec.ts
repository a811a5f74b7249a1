import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenSanctionsTargetsParser } from './opensanctions-targets.parser';

const FIXTURE = join(__dirname, '../../../../test/fixtures/sanctions/opensanctions-targets.simple.csv');

describe('OpenSanctionsTargetsParser', () => {
  const parser = new OpenSanctionsTargetsParser();
  const text = readFileSync(FIXTURE, 'utf8');

  it('maps FollowTheMoney schemata to entry types and splits ;-joined cells', () => {
    const { entries, counts } = parser.parse(text);
    expect(counts.byType).toEqual({ individual: 4, entity: 4, vessel: 1, aircraft: 1 });
    const kim = entries.find((e) => e.primaryName === 'Kim Jong Un')!;
    expect(kim).toMatchObject({ source: 'opensanctions', list: 'UN Security Council Consolidated List', countries: ['KP'], datesOfBirth: ['1984-01-08', '1983'] });
    expect(kim.aliases).toContainEqual({ name: 'Kim Jong-un', kind: 'aka', quality: 'strong' });
  });

  it('keeps the first dataset as the list and records the others', () => {
    const putin = parser.parse(text).entries.find((e) => e.sourceId === 'NK-2sRUoYcbBkP8ncTTEfDk2S')!;
    expect(putin.list).toBe('EU Financial Sanctions Files (FSF)');
    expect(putin.remarks).toContain('UK HMT/OFSI Consolidated List of Targets');
  });

  it('rejects a file without one of the documented columns', () => {
    expect(() => parser.parse(text.replace('schema,', 'kind,'))).toThrow(/missing column 'schema'/);
  });
});
