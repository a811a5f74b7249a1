import type { LoggerService } from '@nestjs/common';
import type { JobContext, JobProgress } from './job-definition';
import type { JobRunRepository } from './job-run.repository';

/** One attempt's context: progress goes to its job_runs row and to the log. */
export class JobRunContext implements JobContext {
  private counts: JobProgress = {};

  constructor(
    readonly jobName: string,
    readonly jobId: string,
    readonly attempt: number,
    private readonly runId: string,
    private readonly runs: JobRunRepository,
    private readonly logger: LoggerService,
  ) {}

  get reported(): JobProgress {
    return { ...this.counts };
  }

  async progress(counts: JobProgress): Promise<void> {
    this.counts = { ...this.counts, ...counts };
    await this.runs.progress(this.runId, this.counts);
    const summary = Object.entries(this.counts).map(([key, value]) => `${key}=${value}`).join(' ');
    this.logger.log({ job: this.jobName, jobId: this.jobId, attempt: this.attempt, progress: this.counts }, `Job ${this.jobName} progress: ${summary}`);
  }
}
