import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { DocumentStorage } from './documents/document-storage';
import { DocumentRepository } from './documents/document.repository';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { PostgresDocumentStorage } from './documents/postgres-document.storage';
import { PayoutEligibilityController } from './payouts/payout-eligibility.controller';
import { PayoutEligibilityService } from './payouts/payout-eligibility.service';
import { ProcessorAccountRepository } from './processor-accounts/processor-account.repository';
import { ProcessorAccountsService } from './processor-accounts/processor-accounts.service';
import { FourEyesSettingsController } from './settings/four-eyes-settings.controller';
import { FourEyesSettingsService } from './settings/four-eyes-settings.service';
import { VerificationChecklist } from './verifications/verification-checklist';
import { verificationMetricProviders } from './verifications/verification.metrics';
import { VerificationQueueReader } from './verifications/verification-queue.reader';
import { VerificationExpiryJob } from './verifications/verification-expiry.job';
import { VerificationExpiryService } from './verifications/verification-expiry.service';
import { VerificationDecisionsService } from './verifications/verification-decisions.service';
import { VerificationRepository } from './verifications/verification.repository';
import { VerificationScreeningHook } from './verifications/verification-screening.hook';
import { VerificationsController } from './verifications/verifications.controller';
import { VerificationsService } from './verifications/verifications.service';
import { DomainEventsModule } from '../events/domain-events.module';

/**
 * Venue verification (KYB): submissions and their requirements checklist, officers' decisions
 * with four-eyes approval, documents, payment processors' reports on the venue's account, the
 * payout-eligibility answer they produce, and the daily expiry of verifications past their
 * validity (the `verification-expiry` job).
 */
@Module({
  imports: [AuditModule, DomainEventsModule, JobsModule],
  controllers: [VerificationsController, DocumentsController, PayoutEligibilityController, FourEyesSettingsController],
  providers: [
    Clock,
    VerificationRepository,
    VerificationChecklist,
    VerificationScreeningHook,
    VerificationsService,
    VerificationDecisionsService,
    DocumentRepository,
    { provide: DocumentStorage, useClass: PostgresDocumentStorage },
    DocumentsService,
    PayoutEligibilityService,
    ProcessorAccountRepository,
    ProcessorAccountsService,
    FourEyesSettingsService,
    VerificationExpiryService,
    VerificationExpiryJob,
    VerificationQueueReader,
    ...verificationMetricProviders,
  ],
  exports: [VerificationsService, PayoutEligibilityService, VerificationScreeningHook, ProcessorAccountsService],
})
export class VenuesModule {}
