import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AuditModule } from '../audit/audit.module';
import { SanctionsModule } from '../sanctions/sanctions.module';
import { VenuesModule } from '../venues/venues.module';
import { AlertRepository } from './alert.repository';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { SanctionsRescreenController } from './sanctions-rescreen.controller';
import { SanctionsRescreener } from './sanctions.rescreener';

/**
 * Screening alerts and ongoing monitoring (issue 11): alerts open in the transaction that stores a
 * verification's screenings (through sanctions' ScreeningAlertHook), officers work them to a
 * decision, and SanctionsRescreener re-screens every monitored subject when a list changes.
 */
@Module({
  imports: [AuditModule, SanctionsModule, VenuesModule],
  controllers: [AlertsController, SanctionsRescreenController],
  providers: [Clock, AlertRepository, AlertsService, SanctionsRescreener],
  exports: [SanctionsRescreener],
})
export class AlertsModule {}
