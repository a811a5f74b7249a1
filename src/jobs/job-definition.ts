/**
 * How a domain module declares a background job. The definition is a plain constant the module
 * exports (so callers enqueue it type-checked); the handler is registered by a provider of that
 * module (JobRegistry.register), where it can use the module's services.
 */
export interface RetryPolicy {
  /** Attempts after the first; 0 = never retried. */
  retryLimit: number;
  /** Delay before the first retry. With `backoff`, pg-boss doubles it per retry, with jitter. */
  retryDelaySeconds: number;
  backoff: boolean;
}

export interface JobSchedule {
  /** Five-field cron expression, evaluated by pg-boss in `tz` (UTC by default). */
  cron: string;
  tz?: string;
  /**
   * How often the cron fires, for alerting: `job_last_success_timestamp_seconds{schedule}` carries
   * it, and the `ComplianceDailyJobNotSucceeded` alert watches `daily` jobs. `yearly`: a season of
   * the year (it may fire on several days of it), idle the rest of the year.
   */
  period: 'hourly' | 'daily' | 'weekly' | 'yearly';
}

/**
 * pg-boss queue policies we use: `standard` (any number queued and running), `singleton` (at most
 * one running at a time, across all instances; more may wait).
 */
export type JobPolicy = 'standard' | 'singleton';

export interface JobDefinition<TData extends object = Record<string, never>> {
  /** Queue name: kebab-case, stable (it is a label value and a row in pgboss.queue). */
  name: string;
  description: string;
  retry: RetryPolicy;
  schedule?: JobSchedule;
  policy?: JobPolicy;
  /** A run still active after this long is failed (and retried per `retry`). Default 15 minutes. */
  expireInSeconds?: number;
  /** Jobs of this queue one instance runs at once (default 1). */
  concurrency?: number;
  /** At most one job of this name is created per window; further `enqueue` calls return null. */
  throttleSeconds?: number;
  /** Only for typing `enqueue(definition, data)`; never set. */
  readonly __data?: TData;
}

/** Counters a handler reports while it runs (`{ expired: 120, batches: 3 }`). */
export type JobProgress = Record<string, number>;

/** Given to a handler for one attempt of one job. */
export interface JobContext {
  readonly jobId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Stores the counters on the run (GET /api/v1/jobs shows them) and logs a progress line. */
  progress(counts: JobProgress): Promise<void>;
}

export type JobHandler<TData extends object> = (data: TData, context: JobContext) => Promise<void>;

const JOB_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function defineJob<TData extends object = Record<string, never>>(definition: JobDefinition<TData>): JobDefinition<TData> {
  if (!JOB_NAME.test(definition.name)) throw new Error(`Job name ${JSON.stringify(definition.name)} must be kebab-case`);
  return Object.freeze(definition);
}
