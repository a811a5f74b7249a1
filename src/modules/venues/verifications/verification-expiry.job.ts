import { Injectable } from '@nestjs/common';
import { defineJob } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import { VerificationExpiryService } from './verification-expiry.service';

export const VERIFICATION_EXPIRY_JOB = defineJob({
  name: 'verification-expiry',
  description: 'Moves verified verifications past their expires_at to expired, refreshing the payout answer and auditing each',
  // Daily, early UTC morning; payout eligibility is correct between runs regardless (it checks expires_at).
  schedule: { cron: '15 2 * * *', period: 'daily' },
  retry: { retryLimit: 5, retryDelaySeconds: 60, backoff: true },
  // One run at a time across all instances: a manual run during the scheduled one waits.
  policy: 'singleton',
  expireInSeconds: 30 * 60,
});

@Injectable()
export class VerificationExpiryJob {
  constructor(registry: JobRegistry, expiry: VerificationExpiryService) {
    registry.register(VERIFICATION_EXPIRY_JOB, async (_data, context) => {
      await expiry.expireLapsedVerifications((counts) => context.progress(counts));
    });
  }
}
