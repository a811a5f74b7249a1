import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuditModule } from '../audit/audit.module';
import { DocumentStorage } from './documents/document-storage';
import { DocumentRepository } from './documents/document.repository';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { PostgresDocumentStorage } from './documents/postgres-document.storage';
import { PayoutEligibilityController } from './payouts/payout-eligibility.controller';
import { PayoutEligibilityService } from './payouts/payout-eligibility.service';
import { FourEyesSettingsController } from './settings/four-eyes-settings.controller';
import { FourEyesSettingsService } from './settings/four-eyes-settings.service';
import { VerificationChecklist } from './verifications/verification-checklist';
import { VerificationDecisionsService } from './verifications/verification-decisions.service';
import { VerificationRepository } from './verifications/verification.repository';
import { VerificationScreeningHook } from './verifications/verification-screening.hook';
import { VerificationsController } from './verifications/verifications.controller';
import { VerificationsService } from './verifications/verifications.service';

/**
 * Venue verification (KYB): submissions and their requirements checklist, officers' decisions
 * with four-eyes approval, documents, and the payout-eligibility answer they produce.
 */
@Module({
  imports: [AuditModule],
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
    FourEyesSettingsService,
  ],
  exports: [VerificationsService, PayoutEligibilityService, VerificationScreeningHook],
})
export class VenuesModule {}
