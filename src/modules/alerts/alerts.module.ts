import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { DomainEventsModule } from '../events/domain-events.module';
import { SanctionsModule } from '../sanctions/sanctions.module';
import { VenuesModule } from '../venues/venues.module';
import { alertMetricProviders } from './alert.metrics';
import { AlertRepository } from './alert.repository';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { SanctionsRescreenChunkJob } from './monitoring/sanctions-rescreen-chunk.job';
import { SanctionsRescreenController } from './monitoring/sanctions-rescreen.controller';
import { SanctionsRescreenHandler } from './monitoring/sanctions-rescreen.handler';
import { SanctionsRescreener } from './monitoring/sanctions.rescreener';
import { OpenAlertsReader } from './open-alerts.reader';

/**
 * Screening alerts and ongoing monitoring (issue 11): alerts open in the transaction that stores a
 * verification's screenings (through sanctions' ScreeningAlertHook), officers work them to a
 * decision, and monitoring/ re-screens every monitored subject when a list version is activated
 * (the `sanctions-rescreen` job, shared out in `sanctions-rescreen-chunk` jobs).
 */
@Module({
  imports: [AuditModule, DomainEventsModule, JobsModule, SanctionsModule, VenuesModule],
  controllers: [AlertsController, SanctionsRescreenController],
  providers: [Clock, AlertRepository, AlertsService, SanctionsRescreener, SanctionsRescreenHandler, SanctionsRescreenChunkJob, OpenAlertsReader, ...alertMetricProviders],
  exports: [AlertsService, SanctionsRescreener],
})
export class AlertsModule {}
