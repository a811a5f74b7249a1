/**
 * A small consonant-skeleton key (in the spirit of Soundex/Metaphone, tuned for the Arabic,
 * Persian and Slavic names that dominate sanctions lists): transliteration variants such as
 * MOHAMMED / MUHAMMAD / MOHAMAD (all MHMD), HUSSEIN / HUSAYN (HSN) or YOUSEF / YUSUF (YSF)
 * share a key. Used for candidate blocking and as a similarity floor — the phonetic matching
 * yente users ask for.
 */
const REWRITES: [RegExp, string][] = [
  [/^KH/, 'H'], [/SCH/g, 'X'], [/SH/g, 'X'], [/CH/g, 'X'], [/ZH/g, 'J'], [/PH/g, 'F'], [/KH/g, 'K'], [/GH/g, 'G'],
  [/TH/g, 'T'], [/DH/g, 'D'], [/CK/g, 'K'], [/Q/g, 'K'], [/C(?=[EIY])/g, 'S'], [/C/g, 'K'], [/Z/g, 'S'],
  [/W/g, 'V'], [/X(?=.)/g, 'X'], [/DJ/g, 'J'], [/TS/g, 'S'], [/J/g, 'J'],
];

export class PhoneticKeyEncoder {
  encode(token: string): string {
    if (token.length === 0) return '';
    let t = token;
    for (const [re, to] of REWRITES) t = t.replace(re, to);
    // First letter kept (vowels as 'A': OSAMA / USAMA); afterwards vowels, Y and H vanish and runs collapse.
    const first = /[AEIOUY]/.test(t[0]!) ? 'A' : t[0]!;
    let key = first;
    let last = first;
    for (let i = 1; i < t.length; i++) {
      const ch = t[i]!;
      if ('AEIOUYH'.includes(ch)) {
        if (ch !== 'H') last = '';
        continue;
      }
      if (ch !== last) key += ch;
      last = ch;
    }
    return key;
  }
}
