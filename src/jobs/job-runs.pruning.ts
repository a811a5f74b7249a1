import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { defineJob } from './job-definition';
import { JobRunRepository } from './job-run.repository';
import { JobRegistry } from './job.registry';

const KEEP_DAYS = 90;
const DAY_MS = 86_400_000;

export const JOB_RUNS_PRUNING = defineJob({
  name: 'job-runs-pruning',
  description: `Deletes job run records older than ${KEEP_DAYS} days`,
  schedule: { cron: '40 4 * * *', period: 'daily' },
  retry: { retryLimit: 3, retryDelaySeconds: 60, backoff: true },
  policy: 'singleton',
});

/** job_runs would grow forever; pg-boss prunes its own tables, this prunes ours. */
@Injectable()
export class JobRunsPruning {
  constructor(registry: JobRegistry, runs: JobRunRepository, clock: Clock) {
    registry.register(JOB_RUNS_PRUNING, async (_data, context) => {
      const deleted = await runs.deleteFinishedBefore(new Date(clock.now().getTime() - KEEP_DAYS * DAY_MS));
      await context.progress({ deleted });
    });
  }
}
