import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '../../../common/clock';
import { toLoggableError } from '../../../common/loggable-error';
import type { RequestPrincipal } from '../../../common/request-principal';
import { defineJob, type JobContext, type JobProgress } from '../../../jobs/job-definition';
import { JobRegistry } from '../../../jobs/job.registry';
import type { AuditActor } from '../../audit/audit-entry';
import { taxYearSchema } from '../dto/tax.dto';
import { taxYearOf } from '../tax-totals';
import { TaxFormsService } from './tax-forms.service';

/** Who generates, audits and is recorded as `generated_by` when the job acts for a tenant. */
export const TAX_FORM_GENERATION_ACTOR = 'job:tax-form-1099k-generation';

const generationRequestSchema = z.strictObject({ year: taxYearSchema.optional() });
/** The year to generate; without it (cron, POST /api/v1/jobs/{name}/run), the previous calendar year. */
export type TaxFormGenerationRequest = z.infer<typeof generationRequestSchema>;

export const TAX_FORM_1099K_GENERATION_JOB = defineJob<TaxFormGenerationRequest>({
  name: 'tax-form-1099k-generation',
  description: 'Generates the previous calendar year\'s Form 1099-K records for every tenant with tax transactions in it (data `year` overrides the year)',
  // Every day of January from the 2nd, 06:00 UTC. Not on the 1st: 31 December's payments still
  // arrive then (webhook retries). Every day after it: generation is idempotent, so a day whose run
  // failed is made up the next day, and a venue that qualifies only through late-recorded December
  // payments gets its form then, before payee statements are due on 31 January (26 U.S.C.
  // §6050W(f)(2)). `yearly`, not `daily`: the job is idle eleven months a year, and the
  // ComplianceDailyJobNotSucceeded alert (which watches daily jobs) would fire all that time.
  schedule: { cron: '0 6 2-31 1 *', period: 'yearly' },
  retry: { retryLimit: 3, retryDelaySeconds: 300, backoff: true },
  // One run at a time across all instances: a manual run during the scheduled one waits.
  policy: 'singleton',
  // A run cut short is retried, and the retry skips the forms already generated.
  expireInSeconds: 2 * 60 * 60,
});

interface GenerationCounts extends JobProgress {
  taxYear: number;
  tenants: number;
  tenantsDone: number;
  tenantsFailed: number;
  qualifying: number;
  generated: number;
  alreadyGenerated: number;
  skippedWithoutPayee: number;
}

/** Some tenants' forms could not be generated: the run fails, so pg-boss and the next day retry it. */
class TaxFormGenerationIncompleteError extends Error {
  constructor(year: number, failed: number, tenants: number) {
    super(`Form 1099-K generation for ${year} failed for ${failed} of ${tenants} tenants; the log names them and the errors`);
    this.name = 'TaxFormGenerationIncompleteError';
  }
}

/**
 * The January run of POST /api/v1/tax/forms/{year}/generate for every tenant with tax transactions
 * in the year, one tenant at a time, as the job: each tenant's forms are generated in its own
 * tenant transactions (row-level security applies) and audited by TAX_FORM_GENERATION_ACTOR. A
 * tenant whose generation fails does not hold back the others; the run then fails once all are done.
 */
@Injectable()
export class TaxForm1099kGenerationJob {
  private readonly logger = new Logger(TaxForm1099kGenerationJob.name);

  constructor(
    registry: JobRegistry,
    private readonly forms: TaxFormsService,
    private readonly clock: Clock,
  ) {
    registry.register(TAX_FORM_1099K_GENERATION_JOB, (data, context) => this.generate(data, context));
  }

  private async generate(data: TaxFormGenerationRequest, context: JobContext): Promise<void> {
    const year = generationRequestSchema.parse(data).year ?? taxYearOf(this.clock.now()) - 1;
    const tenants = await this.forms.tenantsWithTransactions(year);
    const counts: GenerationCounts = { taxYear: year, tenants: tenants.length, tenantsDone: 0, tenantsFailed: 0, qualifying: 0, generated: 0, alreadyGenerated: 0, skippedWithoutPayee: 0 };
    await context.progress(counts);
    for (const tenantId of tenants) {
      try {
        const result = await this.forms.generate(jobPrincipal(tenantId), year, jobActor(tenantId));
        counts.qualifying += result.qualifying;
        counts.generated += result.generated;
        counts.alreadyGenerated += result.alreadyGenerated;
        counts.skippedWithoutPayee += result.skippedWithoutPayee;
        counts.tenantsDone += 1;
      } catch (error) {
        counts.tenantsFailed += 1;
        this.logger.error({ tenantId, taxYear: year, err: toLoggableError(error) }, `Form 1099-K generation for ${year} failed for tenant ${tenantId}; going on with the other tenants`);
      }
      await context.progress(counts);
    }
    if (counts.tenantsFailed > 0) throw new TaxFormGenerationIncompleteError(year, counts.tenantsFailed, tenants.length);
  }
}

/** The job acting for one tenant: no roles, no venues; generate() reads only the tenant and the id. */
function jobPrincipal(tenantId: string): RequestPrincipal {
  return { tenantId, userId: TAX_FORM_GENERATION_ACTOR, roles: [], venueIds: [] };
}

function jobActor(tenantId: string): AuditActor {
  return { tenantId, actor: TAX_FORM_GENERATION_ACTOR, actorRoles: [], requestId: null };
}
