import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../config/app-config';
import { JobRegistry } from '../../../jobs/job.registry';
import { JobsService } from '../../../jobs/jobs.service';
import { SANCTIONS_RESCREEN_JOB } from '../../sanctions/lists/sanctions-rescreen.job';
import { SANCTIONS_RESCREEN_CHUNK_JOB } from './sanctions-rescreen-chunk.job';
import { SanctionsRescreener } from './sanctions.rescreener';

/**
 * Runs the `sanctions-rescreen` job that a list activation enqueues (its definition belongs to the
 * sanctions module, whose importer sends it): one run per activation, which splits the re-screen
 * into `sanctions-rescreen-chunk` jobs of SANCTIONS_RESCREEN_CHUNK_VERIFICATIONS verifications.
 * A retry after some chunks were sent sends them again; a repeated chunk finds its tenants'
 * verifications screened against these lists already and re-screens nothing.
 */
@Injectable()
export class SanctionsRescreenHandler {
  constructor(registry: JobRegistry, rescreener: SanctionsRescreener, jobs: JobsService, config: ConfigService<AppConfig, true>) {
    const verificationsPerChunk = config.get('sanctions', { infer: true }).rescreenChunkVerifications;
    registry.register(SANCTIONS_RESCREEN_JOB, async (request, context) => {
      const plan = await rescreener.plan(request.listVersionKey, verificationsPerChunk);
      if (plan === undefined) {
        await context.progress({ superseded: 1 });
        return;
      }
      for (const tenantIds of plan.chunks) await jobs.enqueue(SANCTIONS_RESCREEN_CHUNK_JOB, { listVersionKey: plan.listVersionKey, tenantIds });
      await context.progress({ tenants: plan.tenants, verifications: plan.verifications, chunks: plan.chunks.length });
    });
  }
}
