import { DomainError } from '../../common/domain-error';

export class UnknownSanctionsListsError extends DomainError {
  readonly code = 'SANCTIONS.UNKNOWN_LISTS';
  readonly status = 400;

  constructor(unknown: readonly string[], known: readonly string[]) {
    super(`Unknown lists: ${unknown.join(', ')} (active lists: ${known.join(', ') || 'none'})`);
  }
}

/** 503, not 200 CLEAR: "no list loaded" must never read as "not listed". */
export class NoSanctionsListError extends DomainError {
  readonly code = 'SANCTIONS.NO_LIST_LOADED';
  readonly status = 503;

  constructor() {
    super('No sanctions list is loaded yet; import one (npm run sanctions:import) and retry');
  }
}

export class ScreeningMatchNotFoundError extends DomainError {
  readonly code = 'SCREENING.MATCH_NOT_FOUND';
  readonly status = 404;

  constructor(screeningId: string, sdnId: string) {
    super(`Screening ${screeningId} has no hit on list entry ${sdnId}`);
  }
}

export class SanctionsImportsDisabledError extends DomainError {
  readonly code = 'SANCTIONS.IMPORTS_DISABLED';
  readonly status = 403;

  constructor() {
    super('Imports over HTTP are off: SANCTIONS_IMPORT_DIR is not set (use npm run sanctions:import)');
  }
}

export class ImportPathOutsideFolderError extends DomainError {
  readonly code = 'SANCTIONS.IMPORT_PATH_OUTSIDE_FOLDER';
  readonly status = 400;

  constructor(path: string) {
    super(`${path} is not inside the configured import folder`);
  }
}
