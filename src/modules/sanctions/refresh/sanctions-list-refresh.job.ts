import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../../config/app-config';
import { defineJob } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import { SanctionsListRefresher } from './sanctions-list.refresher';

export const SANCTIONS_LIST_REFRESH_JOB = defineJob({
  name: 'sanctions-list-refresh',
  description: 'Downloads the sanctions list from SANCTIONS_SOURCE_URL and imports it when it changed; scheduled only when a source is configured',
  // A source that is down now is often back within the hour: 5 min, ~10 min, ~20 min.
  retry: { retryLimit: 3, retryDelaySeconds: 300, backoff: true },
  // Two imports of one source serialise on the importer's lock anyway; one download at a time is enough.
  policy: 'singleton',
  expireInSeconds: 30 * 60,
});

/**
 * Registered always, so `GET /api/v1/jobs` shows it and an admin can run it; scheduled (at
 * SANCTIONS_SOURCE_CRON) only when SANCTIONS_SOURCE_URL is set: there is no internet by default.
 * Labelled `daily` for ComplianceDailyJobNotSucceeded: a list nobody managed to refresh for 26 h
 * is worth a warning whatever the cron (which should fire at least daily).
 */
@Injectable()
export class SanctionsListRefreshJob {
  constructor(registry: JobRegistry, refresher: SanctionsListRefresher, config: ConfigService<AppConfig, true>) {
    const source = config.get('sanctions', { infer: true }).source;
    const definition = source === undefined ? SANCTIONS_LIST_REFRESH_JOB : defineJob({ ...SANCTIONS_LIST_REFRESH_JOB, schedule: { cron: source.cron, period: 'daily' } });
    registry.register(definition, async (_data, context) => {
      await refresher.refresh((counts) => context.progress(counts));
    });
  }
}
