import { Injectable } from '@nestjs/common';
import type { JobDefinition } from './job-definition';
import { JobEngine, type SendOptions } from './job-engine';
import { JobRunRepository, type JobRunRow } from './job-run.repository';
import { JobRegistry } from './job.registry';
import { JobThrottledError, UnknownJobError } from './jobs.errors';
import type { JobRunView, JobView } from './dto/jobs.dto';

const RUNS_PER_JOB = 10;

/**
 * What domain modules and the jobs API use: enqueue a registered job (inside a domain transaction
 * with `{ tx }`, so it exists only if that transaction commits), run one now, list them all.
 */
@Injectable()
export class JobsService {
  constructor(
    private readonly registry: JobRegistry,
    private readonly engine: JobEngine,
    private readonly runs: JobRunRepository,
  ) {}

  /**
   * Creates a job of a registered name. Pass the definition for type-checked data. Returns the
   * job id, or null when `throttleSeconds` already let one through in this window.
   */
  enqueue<TData extends object>(job: JobDefinition<TData> | string, data: TData, options: SendOptions = {}): Promise<string | null> {
    const name = typeof job === 'string' ? job : job.name;
    if (this.registry.get(name) === undefined) throw new UnknownJobError(name);
    return this.engine.send(name, data, options);
  }

  async runNow(name: string): Promise<string> {
    const id = await this.enqueue(name, {});
    if (id === null) throw new JobThrottledError(name);
    return id;
  }

  async list(): Promise<JobView[]> {
    const jobs = this.registry.all();
    const names = jobs.map((job) => job.definition.name);
    const counts = await this.engine.queueCounts(names);
    const runs = await this.runs.latest(names, RUNS_PER_JOB);
    const successes = await this.runs.lastSuccesses(names);
    return jobs.map(({ definition }) => ({
      name: definition.name,
      description: definition.description,
      schedule: definition.schedule === undefined ? null : { cron: definition.schedule.cron, tz: definition.schedule.tz ?? 'UTC', period: definition.schedule.period },
      retry: { ...definition.retry },
      policy: definition.policy ?? 'standard',
      queue: counts.get(definition.name) ?? { waiting: 0, active: 0 },
      lastSuccessAt: successes.get(definition.name)?.toISOString() ?? null,
      lastRuns: runs.filter((run) => run.job_name === definition.name).map(toRunView),
    }));
  }
}

function toRunView(row: JobRunRow): JobRunView {
  return {
    id: row.id,
    jobId: row.queue_job_id,
    attempt: row.attempt,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.finished_at === null ? null : row.finished_at.getTime() - row.started_at.getTime(),
    progress: row.progress,
    error: row.error_type === null ? null : { type: row.error_type, message: row.error_message ?? '' },
  };
}
