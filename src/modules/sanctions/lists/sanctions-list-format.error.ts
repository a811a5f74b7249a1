import { DomainError } from '../../../common/domain-error';

/**
 * A list file we cannot trust. Thrown before any entry is returned, so an importer never swaps in
 * half a list: watchman and yente both keep serving the previous version when a refresh fails,
 * and so should we.
 */
export class SanctionsListFormatError extends DomainError {
  readonly code = 'SANCTIONS.LIST_FORMAT';
  readonly status = 422;
  override readonly title = 'Sanctions list file is malformed';

  constructor(
    readonly file: string,
    /** 1-based line in the file; 0 when the whole file is at fault (missing, unreadable). */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${reason}`);
  }
}
