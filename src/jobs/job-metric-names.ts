/** Apart from jobs.metrics.ts, whose gauges depend on the engine that writes the other two. */
export const JOB_DURATION = 'job_duration_seconds';
export const JOB_FAILURES = 'job_failures_total';
export const JOB_LAST_SUCCESS = 'job_last_success_timestamp_seconds';
export const JOB_QUEUE_DEPTH = 'job_queue_depth';
