import { Injectable, Logger } from '@nestjs/common';
import { toLoggableError } from '../common/loggable-error';
import { RateLimitedLogger } from '../common/rate-limited-logger';
import type { JobSchedule } from './job-definition';
import { JobEngine } from './job-engine';
import { JobRunRepository } from './job-run.repository';
import { JobRegistry } from './job.registry';

export interface JobStatus {
  name: string;
  schedule: JobSchedule['period'] | 'none';
  waiting: number;
  active: number;
  lastSuccessAt: Date | undefined;
}

/** Scrapes arriving within this window share one read (two queries), however many gauges ask. */
const SNAPSHOT_TTL_MS = 1_000;

/**
 * What the job gauges show, read from PostgreSQL at scrape time so every instance reports the
 * same, database-wide values. A failed read leaves the gauges as they were and is logged at most
 * once a minute: a scrape never fails because of it.
 */
@Injectable()
export class JobStatusReader {
  private readonly errorLog = new RateLimitedLogger(new Logger('Jobs'), 60_000);
  private cached: { at: number; value: Promise<JobStatus[] | undefined> } | undefined;

  constructor(
    private readonly registry: JobRegistry,
    private readonly engine: JobEngine,
    private readonly runs: JobRunRepository,
  ) {}

  snapshot(): Promise<JobStatus[] | undefined> {
    const now = performance.now();
    if (this.cached === undefined || now - this.cached.at > SNAPSHOT_TTL_MS) this.cached = { at: now, value: this.read() };
    return this.cached.value;
  }

  private async read(): Promise<JobStatus[] | undefined> {
    const jobs = this.registry.all();
    const names = jobs.map((job) => job.definition.name);
    try {
      const counts = await this.engine.queueCounts(names);
      const successes = await this.runs.lastSuccesses(names);
      return jobs.map(({ definition }) => ({
        name: definition.name,
        schedule: definition.schedule?.period ?? 'none',
        waiting: counts.get(definition.name)?.waiting ?? 0,
        active: counts.get(definition.name)?.active ?? 0,
        lastSuccessAt: successes.get(definition.name),
      }));
    } catch (error) {
      const loggable = toLoggableError(error);
      this.errorLog.warn('job-status', `Cannot read job status for metrics: ${loggable.message}`, { err: loggable });
      return undefined;
    }
  }
}
