import type { SanctionsListEntry } from '../lists/sanctions-list-entry.model';
import type { SanctionsNameIndex } from '../matching/sanctions-name.index';
import { NameVariantMutator, type VariantKind } from './name-variant.mutator';
import { SeededRandom } from './seeded.random';

export interface EvaluationCase {
  query: string;
  /** positive: a variant of a listed name; negative: a name not on the list; generic: must never MATCH. */
  expected: 'positive' | 'negative' | 'generic';
  /** The entry a positive must find. */
  sourceId?: string;
  category: VariantKind | 'person' | 'company' | 'near_miss_person' | 'near_miss_company' | 'generic';
}

const FIRST = [
  'JAMES', 'MARY', 'ROBERT', 'PATRICIA', 'MICHAEL', 'JENNIFER', 'WILLIAM', 'LINDA', 'DAVID', 'ELIZABETH', 'THOMAS',
  'SARAH', 'EMMA', 'OLIVIA', 'LUCAS', 'NOAH', 'SOPHIE', 'LEON', 'HANNAH', 'FELIX', 'CHLOE', 'HUGO', 'CAMILLE',
  'MATTEO', 'GIULIA', 'ALESSANDRO', 'SOFIA', 'PABLO', 'LUCIA', 'JAVIER', 'CARMEN', 'DIEGO', 'VALENTINA', 'JOAO',
  'BEATRIZ', 'PIOTR', 'AGNIESZKA', 'JAN', 'KATARZYNA', 'DMITRI', 'OLGA', 'ANASTASIA', 'NIKOLAI', 'YUKI', 'HIROSHI',
  'WEI', 'LI', 'XIAOMING', 'JIN', 'PRIYA', 'RAHUL', 'ANANYA', 'ARJUN', 'FATIMA', 'OMAR', 'LAYLA', 'YUSUF', 'AMINA',
  'KWAME', 'CHIDI', 'NGOZI', 'THABO', 'SVEN', 'INGRID', 'LARS', 'ASTRID', 'ANDREI', 'ELENA', 'MEHMET', 'AYSE',
];
const LAST = [
  'SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'MILLER', 'DAVIS', 'WILSON', 'TAYLOR', 'CLARK', 'WRIGHT',
  'MUELLER', 'SCHMIDT', 'SCHNEIDER', 'FISCHER', 'WEBER', 'BECKER', 'DUBOIS', 'LAMBERT', 'FONTAINE', 'MOREAU',
  'ROSSI', 'BIANCHI', 'ESPOSITO', 'COLOMBO', 'GARCIA', 'FERNANDEZ', 'MARTIN', 'ALONSO', 'NAVARRO', 'SILVA',
  'OLIVEIRA', 'COSTA', 'NOWAK', 'KOWALSKI', 'WISNIEWSKI', 'IVANOVA', 'SOKOLOV', 'LEBEDEV', 'TANAKA', 'SUZUKI',
  'WATANABE', 'CHEN', 'HUANG', 'ZHOU', 'SHARMA', 'PATEL', 'IYER', 'REDDY', 'OKAFOR', 'MENSAH', 'NKOSI', 'ADEYEMI',
  'HANSEN', 'LINDQVIST', 'NIELSEN', 'POPESCU', 'YILMAZ', 'KAYA', 'DEMIR', 'OCONNOR', 'MACLEAN', 'BUSH',
];
const COMPANY_WORDS = [
  'BLUE', 'HERON', 'NORTHWIND', 'SILVER', 'MAPLE', 'CEDAR', 'ORCHID', 'FALCON', 'SUMMIT', 'HARBOR', 'PIONEER',
  'AURORA', 'MERIDIAN', 'KESTREL', 'LOTUS', 'GRANITE', 'WILLOW', 'COBALT', 'ZENITH', 'BEACON', 'RIVERSIDE',
  'ALPINE', 'CORAL', 'QUARTZ', 'SPARROW', 'TUNDRA', 'VELVET', 'AMBER', 'OAKWOOD', 'BRIGHTON',
];
const INDUSTRIES = ['LOGISTICS', 'TRADING', 'CONSULTING', 'FOODS', 'TEXTILES', 'SOFTWARE', 'MEDIA', 'FARMS', 'DESIGN', 'MOTORS'];
const FORMS = ['LLC', 'LTD', 'GMBH', 'S.A.', 'INC', 'CORP', 'PLC', 'B.V.', 'SRL', 'OOO'];
/** watchman's reported false positives and their kin: company forms and stock words alone. */
const GENERIC_CASES = [
  'CORP', 'EMMA LLC', 'George Bush', 'LLC', 'LTD', 'THE COMPANY', 'INTERNATIONAL TRADING LLC', 'GLOBAL SHIPPING CO',
  'BANK LTD', 'TRADING', 'HOLDINGS LIMITED', 'PETROLEUM INC', 'GROUP S.A.', 'NATIONAL BANK', 'MOHAMMED', 'AL',
  'INDUSTRIES CORP', 'SERVICES GMBH', 'GENERAL TRADING COMPANY', 'INVESTMENT GROUP LTD', 'ABU', 'ALI',
];

const POSITIVE_KINDS: VariantKind[] = [
  'exact', 'typo', 'typo', 'drop_middle', 'add_middle', 'swap_order', 'transliteration', 'diacritics',
  'punctuation', 'company_form', 'single_token',
];

/**
 * Builds a seeded evaluation set from a list: true variants of listed names (positives), realistic
 * names verified not to be on the list (negatives, including near misses of listed names), and the
 * generic-token cases that must never MATCH. Same seed, same list -> same cases.
 */
export class SanctionsEvaluationSetGenerator {
  constructor(private readonly index: SanctionsNameIndex) {}

  generate(options: { seed: number; positives: number; negatives: number }): EvaluationCase[] {
    const random = new SeededRandom(options.seed);
    const mutator = new NameVariantMutator(random);
    const entries = this.index.entries;
    const cases: EvaluationCase[] = [];

    // Positives: a random entry, one of its primary/strong names, a random applicable variant kind.
    for (let guard = 0; cases.length < options.positives && guard < options.positives * 50; guard++) {
      const entry = random.pick(entries);
      const names = [entry.primaryName, ...entry.aliases.filter((a) => a.quality !== 'weak').map((a) => a.name)];
      const listed = random.pick(names);
      const kind = random.pick(POSITIVE_KINDS);
      const query = mutator.mutate(listed, kind, entry.type !== 'individual');
      if (!query || this.index.normalizer.normalize(query).tokens.length === 0) continue;
      cases.push({ query, expected: 'positive', sourceId: entry.sourceId, category: kind });
    }

    const individuals = entries.filter((e) => e.type === 'individual');
    const companies = entries.filter((e) => e.type === 'entity');
    const start = cases.length;
    for (let guard = 0; cases.length - start < options.negatives && guard < options.negatives * 50; guard++) {
      const roll = random.int(4);
      const candidate = roll === 0 ? this.person(random)
        : roll === 1 ? this.company(random)
        : roll === 2 ? this.nearMissPerson(random, mutator, individuals)
        : this.nearMissCompany(random, companies);
      if (candidate && this.isOffList(candidate.query)) cases.push({ ...candidate, expected: 'negative' });
    }
    for (const query of GENERIC_CASES) cases.push({ query, expected: 'generic', category: 'generic' });
    return cases;
  }

  private person(random: SeededRandom): Omit<EvaluationCase, 'expected'> {
    const middle = random.chance(0.3) ? ` ${random.pick(FIRST)}` : '';
    return { query: `${random.pick(FIRST)}${middle} ${random.pick(LAST)}`, category: 'person' };
  }

  private company(random: SeededRandom): Omit<EvaluationCase, 'expected'> {
    const second = random.chance(0.5) ? ` ${random.pick(COMPANY_WORDS)}` : '';
    return { query: `${random.pick(COMPANY_WORDS)}${second} ${random.pick(INDUSTRIES)} ${random.pick(FORMS)}`, category: 'company' };
  }

  /** A listed person's given names with another family name: "George Bush" for "HABBASH, George". */
  private nearMissPerson(random: SeededRandom, _mutator: NameVariantMutator, people: SanctionsListEntry[]): Omit<EvaluationCase, 'expected'> | undefined {
    const parts = random.pick(people).primaryName.split(',');
    if (parts.length !== 2 || !parts[1]!.trim()) return undefined;
    return { query: `${parts[1]!.trim()} ${random.pick(LAST)}`, category: 'near_miss_person' };
  }

  /** A listed company's first word in another firm's name: "COBALT LOGISTICS GMBH" for "COBALT INTERNATIONAL". */
  private nearMissCompany(random: SeededRandom, companies: SanctionsListEntry[]): Omit<EvaluationCase, 'expected'> | undefined {
    const first = random.pick(companies).primaryName.split(/[\s,]+/)[0];
    if (!first || first.length < 3) return undefined;
    return { query: `${first} ${random.pick(COMPANY_WORDS)} ${random.pick(INDUSTRIES)} ${random.pick(FORMS)}`, category: 'near_miss_company' };
  }

  /**
   * Not on the list: no listed name carries every query token, spelled the same or sounding the
   * same (phonetic key). A name that does is a true potential match, not a negative.
   */
  private isOffList(query: string): boolean {
    const prepared = this.index.prepare(this.index.normalizer.normalize(query));
    if (prepared.tokens.length === 0) return false;
    for (const id of this.index.candidates(prepared)) {
      const name = this.index.names[id]!;
      const covered = prepared.tokens.every((t, i) => name.tokens.includes(t) || name.phonetic.includes(prepared.phonetic[i]!));
      if (covered) return false;
    }
    return true;
  }
}
