/**
 * Text PostgreSQL cannot store: NUL (`text` refuses it, SQLSTATE 22021) and a UTF-16 surrogate
 * without its pair (no UTF-8 form; `jsonb` refuses its `\u` escape). Valid JSON carries both.
 */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text);
}
