import { Injectable } from '@nestjs/common';
import { defineJob } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import { PrivacyDueReminders } from './privacy-due-reminders';

export const PRIVACY_DUE_REMINDERS_JOB = defineJob({
  name: 'privacy-due-reminders',
  description: 'Emits privacy.request_due_soon once per open data-subject request and due date, PRIVACY_REMINDER_DAYS before it is due',
  schedule: { cron: '0 7 * * *', period: 'daily' },
  retry: { retryLimit: 5, retryDelaySeconds: 60, backoff: true },
  policy: 'singleton',
});

@Injectable()
export class PrivacyDueRemindersJob {
  constructor(registry: JobRegistry, reminders: PrivacyDueReminders) {
    registry.register(PRIVACY_DUE_REMINDERS_JOB, async (_data, context) => {
      await reminders.remind((counts) => context.progress(counts));
    });
  }
}
