import { CountryNameResolver } from './country-name.resolver';
import { CsvTableReader } from './csv-table.reader';
import { SanctionsEntryHasher } from './sanctions-entry.hasher';
import type { SanctionsEntryType, SanctionsListEntry } from './sanctions-list-entry.model';
import { SanctionsListFormatError } from './sanctions-list-format.error';
import type { SanctionsListParseResult } from './ofac-sdn.parser';

/**
 * Columns of OpenSanctions' `targets.simple.csv` export (https://www.opensanctions.org/docs/bulk/csv/).
 * Multi-valued cells are joined with ';'. The file has a header row; we locate columns by name so
 * an added column upstream does not break the import, but a missing one does.
 */
const COLUMNS = [
  'id', 'schema', 'name', 'aliases', 'birth_date', 'countries', 'addresses', 'identifiers',
  'sanctions', 'phones', 'emails', 'dataset', 'first_seen', 'last_seen', 'last_change',
] as const;
type Column = (typeof COLUMNS)[number];

/** FollowTheMoney schemata to our four types; anything else (LegalEntity, Organization, ...) is an entity. */
const SCHEMA_TYPES: Record<string, SanctionsEntryType> = {
  Person: 'individual', Vessel: 'vessel', Airplane: 'aircraft',
};

export class OpenSanctionsTargetsParser {
  private readonly csv = new CsvTableReader();
  private readonly countries = new CountryNameResolver();
  private readonly hasher = new SanctionsEntryHasher();

  parse(text: string, file = 'targets.simple.csv'): SanctionsListParseResult {
    const headerLine = text.slice(0, text.indexOf('\n') + 1 || undefined).trim().replace(/^\uFEFF/, '');
    const header = headerLine.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    const index = {} as Record<Column, number>;
    for (const column of COLUMNS) {
      const at = header.indexOf(column);
      if (at < 0) throw new SanctionsListFormatError(file, 1, `missing column '${column}'`);
      index[column] = at;
    }
    const byType: Record<SanctionsEntryType, number> = { individual: 0, entity: 0, vessel: 0, aircraft: 0 };
    const entries: SanctionsListEntry[] = [];
    let aliases = 0;
    let addresses = 0;
    for (const { line, fields } of this.csv.read(file, text, header.length, { header: true })) {
      const cell = (c: Column): string => (fields[index[c]] ?? '').trim();
      const many = (c: Column): string[] => cell(c).split(';').map((v) => v.trim()).filter(Boolean);
      const id = cell('id');
      const name = cell('name');
      if (!id) throw new SanctionsListFormatError(file, line, 'empty id');
      if (!name) throw new SanctionsListFormatError(file, line, `entity ${id} has no name`);
      const type = SCHEMA_TYPES[cell('schema')] ?? 'entity';
      const entryAliases = many('aliases').filter((a) => a !== name).map((a) => ({ name: a, kind: 'aka' as const, quality: 'strong' as const }));
      const entryAddresses = many('addresses').map((street) => ({ street }));
      const countries = [...new Set(many('countries').map((c) => this.countries.resolve(c)).filter((c): c is string => !!c))];
      // A record merged from several sources lists every dataset; the first is the one shown as `list`.
      const datasets = many('dataset');
      entries.push(this.hasher.seal({
        source: 'opensanctions',
        list: datasets[0] ?? 'opensanctions',
        sourceId: id,
        type,
        primaryName: name,
        aliases: entryAliases,
        programs: many('sanctions'),
        countries,
        datesOfBirth: many('birth_date').filter((d) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d)),
        // The simple export drops the identifier scheme; the type stays 'unknown' rather than guessed.
        identifiers: many('identifiers').map((value) => ({ type: 'unknown', value })),
        addresses: entryAddresses,
        remarks: datasets.length > 1 ? `Datasets: ${datasets.join('; ')}` : '',
      }));
      byType[type]++;
      aliases += entryAliases.length;
      addresses += entryAddresses.length;
    }
    return {
      entries,
      counts: { entries: entries.length, byType, aliases, weakAliasesFromRemarks: 0, addresses, remarksContinued: 0 },
    };
  }
}
