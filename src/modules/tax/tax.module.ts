import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuditModule } from '../audit/audit.module';
import { DomainEventsModule } from '../events/domain-events.module';
import { VenuesModule } from '../venues/venues.module';
import { TaxFormRepository } from './forms/tax-form.repository';
import { TaxFormsController } from './forms/tax-forms.controller';
import { TaxFormsService } from './forms/tax-forms.service';
import { TaxReportsController } from './reports/tax-reports.controller';
import { TaxReportsService } from './reports/tax-reports.service';
import { TaxLedgerRepository } from './tax-ledger.repository';
import { TaxTransactionsController } from './transactions/tax-transactions.controller';
import { TaxTransactionsService } from './transactions/tax-transactions.service';

/**
 * Form 1099-K tracking: payment transactions per venue (API and webhooks), thresholds per tax year
 * as data, summaries and the yearly report, and generated forms with corrections. The payee's
 * legal name and sealed EIN come from the venues module's service.
 */
@Module({
  imports: [AuditModule, DomainEventsModule, VenuesModule],
  controllers: [TaxTransactionsController, TaxReportsController, TaxFormsController],
  providers: [Clock, TaxLedgerRepository, TaxFormRepository, TaxTransactionsService, TaxReportsService, TaxFormsService],
  exports: [TaxTransactionsService],
})
export class TaxModule {}
