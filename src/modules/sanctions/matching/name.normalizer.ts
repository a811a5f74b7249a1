import { JaroWinkler } from './jaro-winkler.similarity';

/**
 * Turns a name as written ("AL-ZAWAHIRI, Dr. Ayman", "Müller GmbH", "ANGLO-CARIBBEAN CO., LTD.")
 * into upper-case ASCII tokens, the way watchman prepares names before matching: accents folded,
 * "LAST, First" reordered, company forms and honorifics set aside, stopwords dropped.
 */
export interface NormalizedName {
  /** Name tokens in reading order (after reordering "LAST, First"). */
  tokens: string[];
  /** Parallel to `tokens`: particles, initials and stock business words that identify no one. */
  generic: boolean[];
  /** Legal forms removed from the name (LLC, LTD, GMBH, SA, ...), canonical spelling. */
  companyForms: string[];
  /** Titles removed from the name (MR, DR, SHEIKH, ...). */
  honorifics: string[];
}

/** Letters NFKD leaves whole, with their usual ASCII spelling (after upper-casing). */
const LETTERS: Record<string, string> = {
  'Ø': 'O', 'Ł': 'L', 'Æ': 'AE', 'Œ': 'OE', 'Đ': 'D', 'Ð': 'D', 'Þ': 'TH', 'Ħ': 'H', 'Ŧ': 'T', 'Ŋ': 'NG',
  'ẞ': 'SS', 'Ə': 'A', 'Ɨ': 'I', 'ı': 'I', 'ĸ': 'K', 'Ŀ': 'L',
  // Cyrillic (BGN/PCGN-like, as OFAC and the EU spell Russian names): a bonus, not a promise.
  'А': 'A', 'Б': 'B', 'В': 'V', 'Г': 'G', 'Д': 'D', 'Е': 'E', 'Ё': 'E', 'Ж': 'ZH', 'З': 'Z', 'И': 'I',
  'Й': 'Y', 'К': 'K', 'Л': 'L', 'М': 'M', 'Н': 'N', 'О': 'O', 'П': 'P', 'Р': 'R', 'С': 'S', 'Т': 'T',
  'У': 'U', 'Ф': 'F', 'Х': 'KH', 'Ц': 'TS', 'Ч': 'CH', 'Ш': 'SH', 'Щ': 'SHCH', 'Ъ': '', 'Ы': 'Y', 'Ь': '',
  'Э': 'E', 'Ю': 'YU', 'Я': 'YA', 'І': 'I', 'Ї': 'YI', 'Є': 'YE', 'Ґ': 'G', 'Ў': 'U',
};

/**
 * Legal forms. Unambiguous ones are removed wherever they stand (Russian forms come first:
 * "OOO ROMASHKA"); two-letter ones that are also name parts (AB, AS, SA, CO...) only when they
 * are not the first token, so "AB BANK" keeps its AB.
 */
const FORMS_ANYWHERE = new Set([
  'LTD', 'LIMITED', 'LLC', 'INC', 'INCORPORATED', 'CORP', 'CORPORATION', 'COMPANY', 'GMBH', 'MBH',
  'OOO', 'ZAO', 'OAO', 'PAO', 'PJSC', 'OJSC', 'CJSC', 'JSC', 'LLP', 'PLC', 'SARL', 'SRL', 'SAS', 'SPA',
  'SAC', 'SAPI', 'LTDA', 'CIA', 'PTE', 'PTY', 'PVT', 'BHD', 'SDN', 'FZE', 'FZCO', 'FZC', 'FZLLC', 'TOV',
  'DOO', 'KFT', 'SRO', 'EIRL', 'SCA', 'SCS', 'GIE', 'KGAA', 'SPZOO', 'ULC', 'LTEE', 'AKTIENGESELLSCHAFT',
]);
const FORMS_NOT_FIRST = new Set(['CO', 'SA', 'SL', 'AG', 'KG', 'AB', 'AS', 'ASA', 'OY', 'BV', 'NV', 'CV', 'LP', 'AO', 'CA', 'RL']);
/** Multi-token forms after dotted acronyms are collapsed: "S. DE R.L. DE C.V." -> S DE RL DE CV. */
const FORM_SEQUENCES = [['S', 'DE', 'RL'], ['DE', 'RL'], ['DE', 'CV'], ['S', 'EN', 'C'], ['EN', 'C'], ['SP', 'Z', 'OO']];
const FORM_CANONICAL: Record<string, string> = {
  LIMITED: 'LTD', INCORPORATED: 'INC', CORPORATION: 'CORP', COMPANY: 'CO', AKTIENGESELLSCHAFT: 'AG',
};

const HONORIFICS = new Set([
  'MR', 'MRS', 'MS', 'MISS', 'MX', 'DR', 'PROF', 'SIR', 'DAME', 'LORD', 'SHEIKH', 'SHAIKH', 'SHAYKH', 'SHEIKHA',
  'HAJI', 'HAJJI', 'HADJI', 'HAJJ', 'MULLAH', 'MULLA', 'MAULANA', 'MAWLAWI', 'MAULVI', 'IMAM', 'ENG', 'ENGR',
  'GEN', 'COL', 'MAJ', 'CAPT', 'LT', 'SGT', 'ADM', 'REV', 'FR', 'HE', 'HRH',
]);

/** Function words that carry nothing in a name; dropped. "DE" is kept (it distinguishes DE LA CRUZ), as generic. */
const NOISE = new Set(['THE', 'OF', 'AND', 'FOR', 'Y', 'ET', 'UND']);

/** Kept, but marked generic: they never make a match on their own (watchman's "CORP"/"EMMA LLC" complaints). */
const GENERIC = new Set([
  'DE', 'DEL', 'DELA', 'LA', 'LAS', 'LOS', 'LE', 'LES', 'EL', 'AL', 'DA', 'DO', 'DOS', 'DAS', 'DI', 'DU', 'VAN', 'VON',
  'DER', 'DEN', 'BIN', 'BEN', 'IBN', 'BINT', 'BINTI', 'BT',
  'INTERNATIONAL', 'INTL', 'TRADING', 'TRADE', 'GROUP', 'HOLDING', 'HOLDINGS', 'INDUSTRIES', 'INDUSTRIAL',
  'INDUSTRY', 'SERVICES', 'SERVICE', 'ENTERPRISES', 'ENTERPRISE', 'GLOBAL', 'GENERAL', 'BANK', 'SHIPPING',
  'INVESTMENT', 'INVESTMENTS', 'COMMERCIAL', 'IMPORT', 'EXPORT', 'MANAGEMENT', 'DEVELOPMENT', 'CONSTRUCTION',
  'TECHNOLOGY', 'TECHNOLOGIES', 'ENGINEERING', 'PETROLEUM', 'OIL', 'GAS', 'ENERGY', 'LOGISTICS', 'MARINE',
  'MARITIME', 'AIRLINES', 'TRANSPORT', 'FOUNDATION', 'ORGANIZATION', 'ASSOCIATION', 'CENTER', 'CENTRE',
  'NATIONAL', 'UNITED', 'NEW', 'FIRST', 'SOLUTIONS', 'PARTNERS', 'CONSULTING', 'SYSTEMS', 'FINANCIAL',
  'FINANCE', 'CAPITAL', 'EXCHANGE', 'AGENCY', 'PRODUCTS', 'SUPPLY', 'SUPPLIES', 'EQUIPMENT', 'INVEST',
  'COMPANIA', 'EMPRESA', 'SOCIEDAD', 'COMERCIAL', 'GRUPO', 'INVERSIONES', 'BANCO', 'TRADERS', 'LINES', 'SHIP',
]);

/** Long forms are recognised through one typo too ("COPANY", "LIMTED"): customers mistype them. */
const LONG_FORMS = ['LIMITED', 'COMPANY', 'CORPORATION', 'INCORPORATED'];

export class NameNormalizer {
  private readonly jw = new JaroWinkler();
  normalize(raw: string): NormalizedName {
    const folded = this.reorder(this.fold(raw));
    const words = this.punctuate(folded).split(' ').filter((w) => w.length > 0 && !NOISE.has(w));
    const companyForms: string[] = [];
    const kept = this.stripForms(words, companyForms);
    const honorifics: string[] = [];
    let tokens = kept.filter((w) => !HONORIFICS.has(w));
    if (tokens.length === 0) tokens = kept;
    else for (const w of kept) if (HONORIFICS.has(w)) honorifics.push(w);
    return { tokens, generic: tokens.map((t) => NameNormalizer.isGeneric(t)), companyForms, honorifics };
  }

  /** Upper-case ASCII: NFKD strips accents, the table covers letters NFKD leaves whole. */
  fold(raw: string): string {
    // toUpperCase first: it already maps ß -> SS and ı -> I.
    const decomposed = raw.toUpperCase().normalize('NFKD').replace(/\p{M}/gu, '');
    let out = '';
    for (const ch of decomposed) out += ch < '\u0080' ? ch : (LETTERS[ch] ?? (/\p{L}|\p{N}/u.test(ch) ? '' : ' '));
    return out;
  }

  static isGeneric(token: string): boolean {
    // Initials and two-letter particles: yente's OFAC mode drops tokens of <= 2 characters outright.
    return token.length <= 2 || GENERIC.has(token);
  }

  /** OFAC writes individuals "LAST, First"; a single comma followed by a legal form is not that. */
  private reorder(name: string): string {
    const parts = name.split(',');
    if (parts.length !== 2) return name.replace(/,/g, ' ');
    const [last, first] = parts as [string, string];
    const firstWords = this.punctuate(first).split(' ').filter(Boolean);
    const isForm = firstWords.length > 0 && firstWords.every((w) => FORMS_ANYWHERE.has(w) || FORMS_NOT_FIRST.has(w) || w === 'DE');
    return isForm || firstWords.length === 0 ? `${last} ${first}` : `${first} ${last}`;
  }

  /** "S.A.R.L." -> "SARL" (so legal forms are recognisable), apostrophes vanish, other punctuation splits. */
  private punctuate(text: string): string {
    return text
      .replace(/\b(?:[A-Z]\.){2,}(?:[A-Z]\b)?/g, (m) => m.replace(/\./g, ''))
      .replace(/['`´’‘]/g, '')
      .replace(/[^A-Z0-9]+/g, ' ')
      .trim();
  }

  private stripForms(words: string[], forms: string[]): string[] {
    const kept: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const sequence = i > 0 ? FORM_SEQUENCES.find((seq) => seq.every((s, k) => words[i + k] === s)) : undefined;
      if (sequence) {
        forms.push(sequence.join(' '));
        i += sequence.length - 1;
        continue;
      }
      const w = words[i]!;
      const misspelt = i > 0 && w.length >= 6 ? LONG_FORMS.find((f) => this.jw.similarity(w, f) >= 0.93) : undefined;
      if (misspelt) forms.push(FORM_CANONICAL[misspelt]!);
      else if (FORMS_ANYWHERE.has(w) || (i > 0 && FORMS_NOT_FIRST.has(w))) forms.push(FORM_CANONICAL[w] ?? w);
      else kept.push(w);
    }
    return kept;
  }
}
