/**
 * A list file the refresh job could not fetch whole: an error answer, no answer in time, too large,
 * or the network. Names the file, never the URL (SANCTIONS_SOURCE_URL may carry an access token).
 * Thrown before the importer reads anything, so the active list stays as it was.
 */
export class SanctionsSourceDownloadError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Downloading ${file} from SANCTIONS_SOURCE_URL failed: ${reason}; the active list is unchanged`, options);
    this.name = 'SanctionsSourceDownloadError';
  }
}
