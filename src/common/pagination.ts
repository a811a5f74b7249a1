import { z } from 'zod';
import { DomainError } from './domain-error';

export class InvalidCursorError extends DomainError {
  readonly code = 'REQUEST.INVALID_CURSOR';
  readonly status = 400;

  constructor() {
    super('The cursor is not one this API returned; start again without it');
  }
}

/** Keyset pagination: a position after (sort key, id) of the last item returned. */
export interface CursorPosition {
  key: string;
  id: string;
}

const positionSchema = z.object({ key: z.string(), id: z.string() });

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    return positionSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError();
  }
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Callers fetch `limit + 1` rows: the extra row only says whether another page exists. */
export function pageOf<Row, T>(rows: Row[], limit: number, toItem: (row: Row) => T, positionOf: (row: Row) => CursorPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toItem), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};
