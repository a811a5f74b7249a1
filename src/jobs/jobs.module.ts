import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { JobEngine } from './job-engine';
import { JobRunRepository } from './job-run.repository';
import { JobRunsPruning } from './job-runs.pruning';
import { JobStatusReader } from './job-status.reader';
import { JobRegistry } from './job.registry';
import { JobsController } from './jobs.controller';
import { jobMetricProviders } from './jobs.metrics';
import { JobsService } from './jobs.service';

/**
 * Background jobs on pg-boss (issue 12, "Jobs on an existing engine"). Domain modules import it,
 * register their jobs with JobRegistry and enqueue with JobsService (README, "Background jobs").
 */
@Module({
  controllers: [JobsController],
  providers: [Clock, JobRegistry, JobRunRepository, JobEngine, JobStatusReader, JobsService, JobRunsPruning, ...jobMetricProviders],
  exports: [JobRegistry, JobsService],
})
export class JobsModule {}
