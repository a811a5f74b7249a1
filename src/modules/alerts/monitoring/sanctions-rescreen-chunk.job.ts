import { Injectable } from '@nestjs/common';
import { defineJob } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import { SanctionsRescreener } from './sanctions.rescreener';

export interface SanctionsRescreenChunk {
  /** The activated lists (a snapshot key). */
  listVersionKey: string;
  tenantIds: string[];
}

export const SANCTIONS_RESCREEN_CHUNK_JOB = defineJob<SanctionsRescreenChunk>({
  name: 'sanctions-rescreen-chunk',
  description: 'Re-screens the monitored verifications of a few tenants against newly activated sanctions lists (sent by sanctions-rescreen)',
  retry: { retryLimit: 5, retryDelaySeconds: 30, backoff: true },
  // A tenant is never split across chunks, so one large tenant is one long chunk.
  expireInSeconds: 60 * 60,
});

/** Any instance's worker takes the next chunk: a large re-screen is shared by every replica. */
@Injectable()
export class SanctionsRescreenChunkJob {
  constructor(registry: JobRegistry, rescreener: SanctionsRescreener) {
    registry.register(SANCTIONS_RESCREEN_CHUNK_JOB, async (chunk, context) => {
      // POST /api/v1/jobs/{name}/run sends any registered job with empty data.
      if (typeof chunk.listVersionKey !== 'string' || !Array.isArray(chunk.tenantIds)) {
        throw new Error('A sanctions-rescreen-chunk job names its lists and tenants: run sanctions-rescreen instead');
      }
      const done = await rescreener.rescreenChunk(chunk.listVersionKey, chunk.tenantIds, (counts) => context.progress(counts));
      if (done === undefined) await context.progress({ superseded: 1 });
    });
  }
}
