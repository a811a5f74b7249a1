import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AlertsModule } from '../alerts/alerts.module';
import { DomainEventsModule } from '../events/domain-events.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SanctionsModule } from '../sanctions/sanctions.module';
import { TaxModule } from '../tax/tax.module';
import { VenuesModule } from '../venues/venues.module';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';

/**
 * GET /api/v1/dashboard (issue 12): a tenant's figures, each read through the service of the
 * module that owns it; this module has no tables of its own.
 */
@Module({
  imports: [AlertsModule, DomainEventsModule, PrivacyModule, SanctionsModule, TaxModule, VenuesModule],
  controllers: [DashboardController],
  providers: [Clock, DashboardService],
})
export class DashboardModule {}
