import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { DomainEventsModule } from '../events/domain-events.module';
import { VenuesModule } from '../venues/venues.module';
import { TaxForm1099kGenerationJob } from './forms/tax-form-1099k-generation.job';
import { TaxFormRepository } from './forms/tax-form.repository';
import { TaxFormsController } from './forms/tax-forms.controller';
import { TaxFormsService } from './forms/tax-forms.service';
import { TaxReportsController } from './reports/tax-reports.controller';
import { TaxReportsService } from './reports/tax-reports.service';
import { QualifyingVenuesReader } from './metrics/qualifying-venues.reader';
import { taxMetricProviders } from './metrics/tax.metrics';
import { TaxLedgerRepository } from './tax-ledger.repository';
import { TaxTransactionsController } from './transactions/tax-transactions.controller';
import { TaxTransactionsService } from './transactions/tax-transactions.service';
import { VenueLedgerReader } from './venue-ledger.reader';

/**
 * Form 1099-K tracking: payment transactions per venue (API and webhooks), thresholds per tax year
 * as data, summaries and the yearly report, and generated forms with corrections (also by a job
 * every January). The payee's legal name and sealed EIN come from the venues module's service.
 * Risk scoring reads a venue's activity through VenueLedgerReader.
 */
@Module({
  imports: [AuditModule, DomainEventsModule, JobsModule, VenuesModule],
  controllers: [TaxTransactionsController, TaxReportsController, TaxFormsController],
  providers: [Clock, TaxLedgerRepository, VenueLedgerReader, TaxFormRepository, TaxTransactionsService, TaxReportsService, TaxFormsService, TaxForm1099kGenerationJob, QualifyingVenuesReader, ...taxMetricProviders],
  exports: [TaxTransactionsService, TaxReportsService, VenueLedgerReader],
})
export class TaxModule {}
