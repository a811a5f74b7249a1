import type { SeededRandom } from './seeded.random';

export type VariantKind =
  | 'exact' | 'typo' | 'drop_middle' | 'add_middle' | 'swap_order' | 'transliteration'
  | 'diacritics' | 'punctuation' | 'company_form' | 'single_token';

/** Spelling pairs seen across OFAC, EU and UN lists for the same person (both directions apply). */
const TRANSLITERATIONS: [string, string][] = [
  ['MOHAMMED', 'MUHAMMAD'], ['MOHAMMAD', 'MOHAMED'], ['MUHAMMAD', 'MOHAMMAD'], ['MOHAMED', 'MOHAMMED'],
  ['HUSSEIN', 'HUSAYN'], ['HUSAYN', 'HUSSAIN'], ['HASSAN', 'HASAN'], ['YOUSEF', 'YUSUF'], ['YUSUF', 'YOUSSEF'],
  ['AHMAD', 'AHMED'], ['AHMED', 'AHMAD'], ['ABDUL', 'ABD AL'], ['ABD AL', 'ABDUL'], ['ABDEL', 'ABD EL'],
  ['OMAR', 'UMAR'], ['OSAMA', 'USAMA'], ['KHALED', 'KHALID'], ['KHALID', 'KHALED'], ['SAEED', 'SAID'],
  ['SAID', 'SAEED'], ['MAHMOUD', 'MAHMUD'], ['MAHMUD', 'MAHMOUD'], ['OU', 'U'], ['EE', 'I'], ['AY', 'AI'],
  ['IY', 'I'], ['PH', 'F'], ['KS', 'X'], ['SCH', 'SH'], ['SH', 'SCH'], ['TCH', 'CH'], ['IE', 'I'],
  ['Y', 'I'], ['OV', 'OFF'], ['EV', 'YEV'], ['IJ', 'IY'], ['JA', 'YA'], ['YU', 'JU'],
];
const ACCENTS: Record<string, string[]> = {
  A: ['Á', 'À', 'Ä', 'Â', 'Ã'], E: ['É', 'È', 'Ë', 'Ê'], I: ['Í', 'Ï', 'Î'], O: ['Ó', 'Ö', 'Ô', 'Ø'],
  U: ['Ú', 'Ü', 'Û'], N: ['Ñ'], C: ['Ç'], S: ['Ş', 'Š'], Z: ['Ž'], L: ['Ł'],
};
const EXTRA_GIVEN = ['ALI', 'JOSE', 'MARIA', 'IVAN', 'AHMED', 'LUIS', 'KARIM', 'PETER', 'SERGEI', 'ANA'];
const FORMS = ['LTD', 'LLC', 'LIMITED', 'S.A.', 'INC.', 'CORP.', 'CO., LTD.', 'GMBH', 'JSC', 'OOO', 'PLC', 'S.A. DE C.V.'];
const FORM_RE = /[,\s]+(LTD\.?|LIMITED|LLC|L\.L\.C\.|INC\.?|CORP\.?|CORPORATION|CO\.?,? LTD\.?|S\.A\.(?: DE C\.V\.)?|GMBH|JSC|PLC|SARL|S\.R\.L\.|C\.A\.)$/i;

/**
 * Makes a realistic variant of a listed name — what a customer or an onboarding form would write
 * for the same person or company. Returns undefined when the kind does not apply to this name.
 */
export class NameVariantMutator {
  constructor(private readonly random: SeededRandom) {}

  mutate(listed: string, kind: VariantKind, isEntity: boolean): string | undefined {
    const readable = this.readingOrder(listed);
    const words = readable.split(/\s+/).filter(Boolean);
    switch (kind) {
      case 'exact': return this.random.chance(0.5) ? listed : readable;
      case 'typo': return this.typo(words);
      case 'drop_middle': {
        if (isEntity || words.length < 3) return undefined;
        const at = 1 + this.random.int(words.length - 2);
        return words.filter((_, i) => i !== at).join(' ');
      }
      case 'add_middle': {
        if (isEntity || words.length < 2) return undefined;
        return [words[0], this.random.pick(EXTRA_GIVEN), ...words.slice(1)].join(' ');
      }
      case 'swap_order': {
        if (isEntity || words.length < 2) return undefined;
        return [words[words.length - 1], ...words.slice(0, -1)].join(' ');
      }
      case 'transliteration': {
        // Registration marks and tail numbers (YV2969, IMO ...) are not transliterated.
        const upper = readable.toUpperCase();
        if (/\d/.test(upper)) return undefined;
        // Letter-level rules apply inside a word, never to its first letter (Y of YUSUF stays).
        const options = TRANSLITERATIONS.filter(([from]) => (from.length > 2 ? upper.includes(from) : new RegExp(`\\B${from}`).test(upper)));
        if (options.length === 0) return undefined;
        const [from, to] = this.random.pick(options);
        return from.length > 2 ? upper.replace(from, to) : upper.replace(new RegExp(`\\B${from}`), to);
      }
      case 'diacritics': {
        const chars = [...readable.toUpperCase()];
        const positions = chars.map((c, i) => (ACCENTS[c] ? i : -1)).filter((i) => i >= 0);
        if (positions.length === 0) return undefined;
        for (let k = 0; k < 2; k++) {
          const at = this.random.pick(positions);
          const accents = ACCENTS[chars[at]!];
          if (accents) chars[at] = this.random.pick(accents);
        }
        return this.random.chance(0.5) ? chars.join('') : chars.join('').toLowerCase();
      }
      case 'punctuation': {
        if (words.length < 2) return undefined;
        const style = this.random.int(3);
        if (style === 0) return words.join('-');
        if (style === 1) return words.map((w) => w.toLowerCase()).join('  ');
        const at = this.random.int(words.length - 1);
        return [...words.slice(0, at), words[at]! + words[at + 1]!, ...words.slice(at + 2)].join(' ');
      }
      case 'company_form': {
        if (!isEntity) return undefined;
        const bare = listed.replace(FORM_RE, '');
        if (bare !== listed && this.random.chance(0.4)) return bare;
        return `${bare} ${this.random.pick(FORMS)}`;
      }
      case 'single_token':
        return words.length === 1 ? words[0] : undefined;
    }
  }

  /** "LAST, First Middle" -> "First Middle LAST", as a person writes their own name. */
  readingOrder(listed: string): string {
    const parts = listed.split(',');
    if (parts.length !== 2 || FORM_RE.test(listed)) return listed.replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
    return `${parts[1]!.trim()} ${parts[0]!.trim()}`;
  }

  /** One keyboard-style edit in one token of five letters or more. */
  private typo(words: string[]): string | undefined {
    const candidates = words.map((w, i) => (/^[A-Za-z]{5,}$/.test(w) ? i : -1)).filter((i) => i >= 0);
    if (candidates.length === 0) return undefined;
    const at = this.random.pick(candidates);
    const w = words[at]!;
    const p = 1 + this.random.int(w.length - 1); // first letters are rarely mistyped
    const letter = String.fromCharCode(65 + this.random.int(26));
    const edits = [
      () => w.slice(0, p) + w.slice(p + 1),                       // deletion
      () => w.slice(0, p) + letter + w.slice(p + 1),              // substitution
      () => w.slice(0, p) + letter + w.slice(p),                  // insertion
      () => (p + 1 < w.length ? w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2) : w.slice(0, p)), // transposition
    ];
    const typed = this.random.pick(edits)();
    return words.map((x, i) => (i === at ? typed : x)).join(' ');
  }
}
