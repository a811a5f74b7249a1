import type { SanctionsAlias, SanctionsIdentifier } from './sanctions-list-entry.model';
import { CountryNameResolver } from './country-name.resolver';

export interface OfacRemarksFacts {
  datesOfBirth: string[];
  /** Nationality and citizenship, resolved to ISO alpha-2 where known. */
  countries: string[];
  identifiers: SanctionsIdentifier[];
  /** a.k.a./f.k.a./n.k.a. 'X' inside the remarks: OFAC's weak (low-quality) aliases. */
  weakAliases: SanctionsAlias[];
}

const MONTHS: Record<string, string> = {
  JAN: '01', FEB: '02', MAR: '03', APR: '04', MAY: '05', JUN: '06',
  JUL: '07', AUG: '08', SEP: '09', OCT: '10', NOV: '11', DEC: '12',
};

/**
 * Identifier labels OFAC uses in remarks, longest first so "National ID No." wins over "National".
 * Anything else in the remarks (POB, Gender, Linked To, programme notes) stays in `remarks` only.
 */
const ID_LABELS = [
  'Vessel Registration Identification', 'Business Registration Number', 'Company Number',
  'Registration Number', 'Registration ID', 'Identification Number', 'National ID No.', 'Tax ID No.',
  'Passport', 'Diplomatic Passport', 'Cedula No.', 'SSN', 'C.U.R.P.', 'R.F.C.', 'RFC', 'D.N.I.', 'NIT #',
  'RUC #', 'RIF #', 'SWIFT/BIC', 'MMSI', 'Email Address', 'Website', 'Phone Number', 'D-U-N-S Number',
  'Aircraft Serial Identification', 'Aircraft Tail Number', 'Aircraft Construction Number',
  'Aircraft Mode S Transponder Code', 'V.A.T. Number', 'Trade License No.', 'Commercial Registry Number',
  'Public Registration Number', 'Government Gazette Number', 'Legal Entity Number', 'Folio Mercantil No.',
  'Matricula Mercantil No', 'Residency Number', 'Driver\'s License No.', 'Electoral Registry No.',
  'Birth Certificate Number', 'Personal ID Card', 'Kenyan ID No.', 'Pakistani National Identity Card',
  'Stateless Person ID Card', 'Refugee ID Card', 'Military Registration Number', 'US FEIN',
  'Chinese Commercial Code', 'Certificate of Incorporation Number', 'UK Company Number',
  'Digital Currency Address - XBT', 'Digital Currency Address - ETH', 'Digital Currency Address - USDT',
  'Digital Currency Address - XMR', 'Digital Currency Address - LTC', 'Digital Currency Address - TRX',
].sort((a, b) => b.length - a.length);

// The closing quote is the one followed by ';', ',' or the end: aliases contain apostrophes (ABU-'UMAR).
const ALIAS_RE = /\b([afn])\.k\.a\.,?\s+'(.+?)'(?=\s*(?:[;,]|\.?\s*$))/gi;

/**
 * Pulls structured facts out of an OFAC remarks string ("DOB 09 Feb 1951; POB Gaza; Passport
 * 92/664 (Egypt); a.k.a. 'ABU-'UMAR'."). The legacy CSV has no other place for them, and the
 * weak AKAs in particular exist only here — the misses watchman users complain about.
 */
export class OfacRemarksParser {
  private readonly countries = new CountryNameResolver();

  parse(remarks: string): OfacRemarksFacts {
    const facts: OfacRemarksFacts = { datesOfBirth: [], countries: [], identifiers: [], weakAliases: [] };
    if (!remarks) return facts;
    this.readAliases(remarks, facts);
    for (const rawPart of this.splitOutsideQuotes(remarks)) {
      const part = rawPart.trim().replace(/\.$/, '').replace(/^alt\.\s+/i, '');
      if (/^DOB\s/i.test(part)) this.readDates(part.slice(4), facts.datesOfBirth);
      else if (/^(nationality|citizen)\s/i.test(part)) this.readCountry(part.replace(/^\S+\s+/, ''), facts.countries);
      else this.readIdentifier(part, facts.identifiers);
    }
    return facts;
  }

  private readAliases(remarks: string, facts: OfacRemarksFacts): void {
    for (const m of remarks.matchAll(ALIAS_RE)) {
      const letter = m[1]!.toLowerCase();
      const name = m[2]!.trim();
      if (!name) continue;
      const kind = letter === 'f' ? 'fka' : letter === 'n' ? 'nka' : 'weak_aka';
      facts.weakAliases.push({ name, kind, quality: 'weak' });
    }
  }

  /** '09 Feb 1951', 'Feb 1951', '1951', 'circa 1942', '1960 to 1962' (each year of the range). */
  private readDates(text: string, out: string[]): void {
    const t = text.replace(/^circa\s+/i, '').trim();
    const range = /^(\d{4})\s+to\s+(\d{4})$/.exec(t);
    if (range) {
      for (let y = Number(range[1]); y <= Number(range[2]) && y - Number(range[1]) < 15; y++) out.push(String(y));
      return;
    }
    const full = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(t);
    const month = MONTHS[full?.[2]?.toUpperCase() ?? ''];
    if (full && month) {
      out.push(`${full[3]}-${month}-${full[1]!.padStart(2, '0')}`);
      return;
    }
    const monthYear = /^([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(t);
    const month2 = MONTHS[monthYear?.[1]?.toUpperCase() ?? ''];
    if (monthYear && month2) {
      out.push(`${monthYear[2]}-${month2}`);
      return;
    }
    const year = /^(\d{4})\b/.exec(t);
    if (year) out.push(year[1]!);
  }

  private readCountry(text: string, out: string[]): void {
    const code = this.countries.resolve(text);
    if (code && !out.includes(code)) out.push(code);
  }

  /** "Passport 92/664 (Egypt)", "Cedula No. 16247821 (Colombia)", "NIT # 800123-4 (Colombia)". */
  private readIdentifier(part: string, out: SanctionsIdentifier[]): void {
    const label = ID_LABELS.find((l) => part.startsWith(`${l} `));
    if (!label) return;
    const rest = part.slice(label.length + 1).trim();
    const country = /\(([^)]+)\)/.exec(rest)?.[1];
    // Values carry trailing qualifiers ("issued 2010", "expires 2025"): the id is the first word,
    // except for e-mail/phone-like labels whose value has no spaces anyway.
    const value = rest.replace(/\(.*$/, '').trim().split(/\s+/)[0] ?? '';
    if (!value) return;
    const identifier: SanctionsIdentifier = { type: label, value };
    const resolved = country ? this.countries.resolve(country) : undefined;
    if (resolved) identifier.country = resolved;
    out.push(identifier);
  }

  /** Remarks are ';'-separated, but an alias in quotes may itself contain ';'. */
  private splitOutsideQuotes(text: string): string[] {
    const parts: string[] = [];
    let current = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      // An apostrophe inside a word (ABU-'UMAR, O'BRIEN) does not open a quote.
      if (ch === "'" && (quoted ? !/[A-Za-z]/.test(text[i + 1] ?? '') : !/[A-Za-z]/.test(text[i - 1] ?? ''))) quoted = !quoted;
      if (ch === ';' && !quoted) {
        parts.push(current);
        current = '';
      } else current += ch;
    }
    parts.push(current);
    return parts;
  }
}
