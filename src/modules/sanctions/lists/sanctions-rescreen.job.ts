import { defineJob } from '../../../jobs/job-definition';

export interface SanctionsRescreenRequest {
  /**
   * The active lists to re-screen against, as a snapshot key (`listsKeyOf`). An import sets it; a
   * run started with `POST /api/v1/jobs/sanctions-rescreen/run` has none and takes the active lists.
   */
  listVersionKey?: string;
}

/**
 * What activating a list version asks for: every tenant re-screened against the new lists (issue
 * 11, ongoing monitoring). The importer enqueues it in the activation's own transaction; the
 * alerts module, which owns monitoring, registers the handler (SanctionsRescreenHandler).
 */
export const SANCTIONS_RESCREEN_JOB = defineJob<SanctionsRescreenRequest>({
  name: 'sanctions-rescreen',
  description: 'On a list activation: splits the re-screening of every tenant into sanctions-rescreen-chunk jobs for any instance to run',
  retry: { retryLimit: 3, retryDelaySeconds: 30, backoff: true },
});
