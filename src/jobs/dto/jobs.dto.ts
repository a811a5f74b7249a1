import { z } from 'zod';

export const jobNameParamsSchema = z.strictObject({
  name: z.string().min(1).max(100).describe('A registered job name, e.g. verification-expiry'),
});
export type JobNameParams = z.infer<typeof jobNameParamsSchema>;

const jobRunSchema = z.object({
  id: z.uuid(),
  jobId: z.uuid().describe('The pg-boss job this attempt ran'),
  attempt: z.number().int().describe('1 for the first attempt, then one more per retry'),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  progress: z.record(z.string(), z.number()).describe('Counters the handler reported, e.g. {"expired": 12, "batches": 1}'),
  error: z.object({ type: z.string(), message: z.string().describe('Without values: SQL conditions, not driver details') }).nullable(),
});
export type JobRunView = z.infer<typeof jobRunSchema>;

const jobViewSchema = z.object({
  name: z.string(),
  description: z.string(),
  schedule: z.object({ cron: z.string(), tz: z.string(), period: z.enum(['hourly', 'daily', 'weekly', 'yearly']) }).nullable(),
  retry: z.object({ retryLimit: z.number().int(), retryDelaySeconds: z.number(), backoff: z.boolean() }),
  policy: z.enum(['standard', 'singleton']),
  queue: z.object({ waiting: z.number().int().describe('Created or waiting to retry'), active: z.number().int() }),
  lastSuccessAt: z.iso.datetime().nullable(),
  lastRuns: z.array(jobRunSchema).describe('Newest first, at most 10'),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const jobListSchema = z.object({ items: z.array(jobViewSchema) });

export const jobRunRequestedSchema = z.object({ jobId: z.uuid().describe('The pg-boss job id; its runs appear under lastRuns') });
export type JobRunRequested = z.infer<typeof jobRunRequestedSchema>;
