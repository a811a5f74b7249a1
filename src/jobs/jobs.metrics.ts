import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { JOB_DURATION, JOB_FAILURES, JOB_LAST_SUCCESS, JOB_QUEUE_DEPTH } from './job-metric-names';
import { JobStatusReader } from './job-status.reader';

/**
 * Labels are `job_name` and `queue`, never `job`: Prometheus sets `job` on every series from the
 * scrape target (job="compliance-service") and would rename ours to `exported_job`. Values are
 * the registered job names: a bounded set known at start.
 */
export const jobMetricProviders = [
  makeHistogramProvider({
    name: JOB_DURATION,
    help: 'Duration of job attempts on this instance, successful or not',
    labelNames: ['job_name'],
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
  }),
  makeCounterProvider({ name: JOB_FAILURES, help: 'Job attempts that failed on this instance (each retry counts)', labelNames: ['job_name'] }),
  makeGaugeProvider({
    name: JOB_LAST_SUCCESS,
    help: 'Unix time the job last succeeded on any instance (from job_runs, read at scrape time); absent until it first succeeds',
    labelNames: ['job_name', 'schedule'],
    inject: [JobStatusReader],
    async collect(this: Gauge<'job_name' | 'schedule'>, reader: JobStatusReader) {
      const status = await reader.snapshot();
      if (status === undefined) return;
      this.reset();
      for (const job of status) {
        if (job.lastSuccessAt !== undefined) this.set({ job_name: job.name, schedule: job.schedule }, job.lastSuccessAt.getTime() / 1000);
      }
    },
  }),
  makeGaugeProvider({
    name: JOB_QUEUE_DEPTH,
    help: 'Jobs waiting in each queue (created or waiting to retry), across instances, read at scrape time',
    labelNames: ['queue'],
    inject: [JobStatusReader],
    async collect(this: Gauge<'queue'>, reader: JobStatusReader) {
      const status = await reader.snapshot();
      if (status === undefined) return;
      for (const job of status) this.set({ queue: job.name }, job.waiting);
    },
  }),
];
