import { Injectable } from '@nestjs/common';
import { defineJob } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import { RetentionEnforcer } from './retention-enforcer';

export const RETENTION_ENFORCEMENT_JOB = defineJob({
  name: 'retention-enforcement',
  description: 'Deletes restricted records past their retention period and access exports past their keep period, per tenant, auditing the counts',
  schedule: { cron: '30 3 * * *', period: 'daily' },
  retry: { retryLimit: 5, retryDelaySeconds: 300, backoff: true },
  policy: 'singleton',
  expireInSeconds: 60 * 60,
});

@Injectable()
export class RetentionEnforcementJob {
  constructor(registry: JobRegistry, enforcer: RetentionEnforcer) {
    registry.register(RETENTION_ENFORCEMENT_JOB, async (_data, context) => {
      await enforcer.enforce((counts) => context.progress(counts));
    });
  }
}
