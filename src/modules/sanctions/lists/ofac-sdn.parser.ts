import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CountryNameResolver } from './country-name.resolver';
import { CsvTableReader } from './csv-table.reader';
import { OfacRemarksParser } from './ofac-remarks.parser';
import { SanctionsEntryHasher } from './sanctions-entry.hasher';
import type {
  SanctionsAddress,
  SanctionsAlias,
  SanctionsEntryType,
  SanctionsListEntry,
  UnhashedSanctionsListEntry,
} from './sanctions-list-entry.model';
import { SanctionsListFormatError } from './sanctions-list-format.error';

/** The four files of OFAC's legacy SDN CSV publication, as text. */
export interface OfacSdnFiles {
  sdn: string;
  alt: string;
  add: string;
  comments: string;
}

export interface SanctionsListParseResult {
  entries: SanctionsListEntry[];
  counts: {
    entries: number;
    byType: Record<SanctionsEntryType, number>;
    aliases: number;
    weakAliasesFromRemarks: number;
    addresses: number;
    remarksContinued: number;
  };
}

const FILE_NAMES: Record<keyof OfacSdnFiles, string> = {
  sdn: 'sdn.csv', alt: 'alt.csv', add: 'add.csv', comments: 'sdn_comments.csv',
};

// Column counts of OFAC's legacy CSV specification (https://ofac.treasury.gov/sdn-list-data-formats-data-schemas).
const SDN_COLUMNS = 12;
const ALT_COLUMNS = 5;
const ADD_COLUMNS = 6;
const COMMENTS_COLUMNS = 2;

/**
 * Parses OFAC's SDN list (sdn.csv + alt.csv + add.csv + sdn_comments.csv, no header rows) into
 * SanctionsListEntry. All-or-nothing: any malformed row throws SanctionsListFormatError.
 */
export class OfacSdnParser {
  static readonly LIST = 'OFAC-SDN';
  private readonly csv = new CsvTableReader();
  private readonly remarks = new OfacRemarksParser();
  private readonly countries = new CountryNameResolver();
  private readonly hasher = new SanctionsEntryHasher();

  /** Reads the four files from a directory; a missing one is a format error, not an empty list. */
  async readDirectory(dir: string): Promise<OfacSdnFiles> {
    const keys = ['sdn', 'alt', 'add', 'comments'] as const;
    const reads = await Promise.allSettled(keys.map((key) => readFile(join(dir, FILE_NAMES[key]), 'utf8')));
    // The first unreadable file in list order is reported, not whichever read failed first.
    const texts = reads.map((result, index) => {
      if (result.status === 'fulfilled') return result.value;
      throw new SanctionsListFormatError(FILE_NAMES[keys[index] as keyof OfacSdnFiles], 0, `cannot read: ${(result.reason as Error).message}`);
    });
    const [sdn = '', alt = '', add = '', comments = ''] = texts;
    return { sdn, alt, add, comments };
  }

  parse(files: OfacSdnFiles): SanctionsListParseResult {
    const V = CsvTableReader.value;
    const drafts = new Map<number, UnhashedSanctionsListEntry>();
    const order: number[] = [];

    for (const { line, fields } of this.csv.read(FILE_NAMES.sdn, files.sdn, SDN_COLUMNS)) {
      const entNum = this.entNum(FILE_NAMES.sdn, line, fields[0]);
      if (drafts.has(entNum)) throw new SanctionsListFormatError(FILE_NAMES.sdn, line, `duplicate ent_num ${entNum}`);
      const name = V(fields[1]);
      if (!name) throw new SanctionsListFormatError(FILE_NAMES.sdn, line, 'empty SDN_Name');
      const vesselFlag = this.countries.resolve(V(fields[9]));
      drafts.set(entNum, {
        source: 'ofac_sdn',
        list: OfacSdnParser.LIST,
        sourceId: String(entNum),
        type: this.entryType(V(fields[2])),
        primaryName: name,
        aliases: [],
        // Multi-programme entries are written "SDGT] [IRGC] [IFSR" inside one field.
        programs: V(fields[3]).split(/\]\s*\[/).map((p) => p.trim()).filter(Boolean),
        countries: vesselFlag ? [vesselFlag] : [],
        datesOfBirth: [],
        identifiers: [],
        addresses: [],
        remarks: V(fields[11]),
      });
      order.push(entNum);
    }

    let aliases = 0;
    for (const { line, fields } of this.csv.read(FILE_NAMES.alt, files.alt, ALT_COLUMNS)) {
      const entry = this.owner(drafts, FILE_NAMES.alt, line, fields[0]);
      const altType = V(fields[2]).toLowerCase();
      const name = V(fields[3]);
      if (!name) continue;
      if (altType !== 'aka' && altType !== 'fka' && altType !== 'nka') {
        throw new SanctionsListFormatError(FILE_NAMES.alt, line, `unknown alt_type '${altType}'`);
      }
      const weak = /\bweak\b/i.test(V(fields[4]));
      const alias: SanctionsAlias = weak
        ? { name, kind: altType === 'aka' ? 'weak_aka' : altType, quality: 'weak' }
        : { name, kind: altType, quality: 'strong' };
      entry.aliases.push(alias);
      aliases++;
    }

    let addresses = 0;
    for (const { line, fields } of this.csv.read(FILE_NAMES.add, files.add, ADD_COLUMNS)) {
      const entry = this.owner(drafts, FILE_NAMES.add, line, fields[0]);
      const address: SanctionsAddress = {};
      if (V(fields[2])) address.street = V(fields[2]);
      if (V(fields[3])) address.cityStatePostal = V(fields[3]);
      const country = this.countries.resolve(V(fields[4]));
      if (country) {
        address.country = country;
        if (!entry.countries.includes(country)) entry.countries.push(country);
      }
      if (V(fields[5])) address.remarks = V(fields[5]);
      if (Object.keys(address).length > 0) {
        entry.addresses.push(address);
        addresses++;
      }
    }

    // sdn_comments.csv continues remarks that did not fit the Remarks column, mid-word: append as is.
    let remarksContinued = 0;
    for (const { line, fields } of this.csv.read(FILE_NAMES.comments, files.comments, COMMENTS_COLUMNS)) {
      const entry = this.owner(drafts, FILE_NAMES.comments, line, fields[0]);
      entry.remarks += (fields[1] ?? '').trimEnd();
      remarksContinued++;
    }

    const byType: Record<SanctionsEntryType, number> = { individual: 0, entity: 0, vessel: 0, aircraft: 0 };
    let weakAliasesFromRemarks = 0;
    const entries: SanctionsListEntry[] = [];
    for (const entNum of order) {
      const draft = drafts.get(entNum)!;
      const facts = this.remarks.parse(draft.remarks);
      draft.datesOfBirth = facts.datesOfBirth;
      draft.identifiers = facts.identifiers;
      for (const c of facts.countries) if (!draft.countries.includes(c)) draft.countries.push(c);
      for (const weakAlias of facts.weakAliases) {
        const known = draft.primaryName === weakAlias.name || draft.aliases.some((a) => a.name === weakAlias.name);
        if (!known) {
          draft.aliases.push(weakAlias);
          weakAliasesFromRemarks++;
        }
      }
      byType[draft.type]++;
      entries.push(this.hasher.seal(draft));
    }
    return {
      entries,
      counts: { entries: entries.length, byType, aliases, weakAliasesFromRemarks, addresses, remarksContinued },
    };
  }

  private entryType(sdnType: string): SanctionsEntryType {
    switch (sdnType.toLowerCase()) {
      case 'individual': return 'individual';
      case 'vessel': return 'vessel';
      case 'aircraft': return 'aircraft';
      default: return 'entity'; // OFAC leaves SDN_Type empty (-0-) for entities.
    }
  }

  private entNum(file: string, line: number, field: string | undefined): number {
    const text = (field ?? '').trim();
    if (!/^\d+$/.test(text)) throw new SanctionsListFormatError(file, line, `ent_num '${text}' is not a number`);
    return Number(text);
  }

  private owner(
    drafts: Map<number, UnhashedSanctionsListEntry>,
    file: string,
    line: number,
    field: string | undefined,
  ): UnhashedSanctionsListEntry {
    const entNum = this.entNum(file, line, field);
    const entry = drafts.get(entNum);
    if (!entry) throw new SanctionsListFormatError(file, line, `ent_num ${entNum} is not in sdn.csv`);
    return entry;
  }
}
