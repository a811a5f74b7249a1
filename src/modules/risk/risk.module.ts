import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuditModule } from '../audit/audit.module';
import { TaxModule } from '../tax/tax.module';
import { VenuesModule } from '../venues/venues.module';
import { RiskAssessmentRepository } from './assessments/risk-assessment.repository';
import { RiskAssessmentsController } from './assessments/risk-assessments.controller';
import { RiskAssessmentsService } from './assessments/risk-assessments.service';
import { RiskFlagRepository } from './flags/risk-flag.repository';
import { RiskFlagsController } from './flags/risk-flags.controller';
import { RiskFlagsService } from './flags/risk-flags.service';
import { TransactionActivitySignals } from './scoring/transaction-activity.signals';
import { RiskWeightRepository } from './weights/risk-weight.repository';
import { RiskWeightsController } from './weights/risk-weights.controller';
import { RiskWeightsService } from './weights/risk-weights.service';

/**
 * Venue risk scoring (issue 11): assessments from the venue's verification, documents, screening,
 * open risk flags, expected volume and transaction activity (the tax module's ledger, through
 * VenueLedgerReader), weighted by data (risk_factor_weights); officers' overrides; risk flags. The
 * venue's verification follows the latest assessment through VerificationsService.
 */
@Module({
  imports: [AuditModule, TaxModule, VenuesModule],
  controllers: [RiskAssessmentsController, RiskFlagsController, RiskWeightsController],
  providers: [
    Clock,
    RiskAssessmentRepository,
    RiskAssessmentsService,
    RiskFlagRepository,
    RiskFlagsService,
    RiskWeightRepository,
    RiskWeightsService,
    TransactionActivitySignals,
  ],
})
export class RiskModule {}
