import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { DomainEventsModule } from '../events/domain-events.module';
import { ExportLinkSigner } from './export-link.signer';
import { PrivacyDueReminders } from './jobs/privacy-due-reminders';
import { PrivacyDueRemindersJob } from './jobs/privacy-due-reminders.job';
import { RetentionEnforcementJob } from './jobs/retention-enforcement.job';
import { RetentionEnforcer } from './jobs/retention-enforcer';
import { PrivacyDeadlinesReader } from './privacy-deadlines.reader';
import { PrivacyExportsController } from './privacy-exports.controller';
import { privacyRequestMetricProviders } from './privacy-request.metrics';
import { PrivacyRequestRepository } from './privacy-request.repository';
import { PrivacyRequestsController } from './privacy-requests.controller';
import { PrivacyRequestsService } from './privacy-requests.service';
import { SubjectRecords } from './subject-records';

/**
 * Data-subject requests (GDPR/CCPA access and erasure) with retention: the subject data map, the
 * export and its signed download, erasure with restriction and audit crypto-shredding, the
 * due-date reminders and the retention job.
 */
@Module({
  imports: [AuditModule, DomainEventsModule, JobsModule],
  controllers: [PrivacyRequestsController, PrivacyExportsController],
  providers: [
    Clock,
    PrivacyRequestRepository,
    PrivacyRequestsService,
    SubjectRecords,
    ExportLinkSigner,
    PrivacyDueReminders,
    PrivacyDueRemindersJob,
    RetentionEnforcer,
    RetentionEnforcementJob,
    PrivacyDeadlinesReader,
    ...privacyRequestMetricProviders,
  ],
  exports: [PrivacyRequestsService],
})
export class PrivacyModule {}
