import { decodeCursor, InvalidCursorError } from '../../common/pagination';

/** Risk lists page by `seq` (insertion order, newest first): the cursor's key is the last row's seq. */
export function decodeSeqCursor(cursor: string | undefined): string | undefined {
  const position = decodeCursor(cursor);
  if (position !== undefined && !/^\d{1,19}$/.test(position.key)) throw new InvalidCursorError();
  return position?.key;
}
