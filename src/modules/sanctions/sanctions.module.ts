import { Module } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { JobsModule } from '../../jobs/jobs.module';
import { AuditModule } from '../audit/audit.module';
import { VenuesModule } from '../venues/venues.module';
import { SanctionsImportsController } from './lists/sanctions-imports.controller';
import { SanctionsImportsService } from './lists/sanctions-imports.service';
import { sanctionsListMetricProviders } from './lists/sanctions-list.metrics';
import { SanctionsListRefreshJob } from './refresh/sanctions-list-refresh.job';
import { SanctionsListRefresher } from './refresh/sanctions-list.refresher';
import { SanctionsSourceDownloader } from './refresh/sanctions-source.downloader';
import { ActiveSanctionsLists } from './screening/active-sanctions-lists';
import { AdhocScreeningStore } from './screening/adhoc-screening.store';
import { ScreeningAlertHook } from './screening/screening-alert.hook';
import { ScreeningDispositionsService } from './screening/screening-dispositions.service';
import { ScreeningResultCache } from './screening/screening-result.cache';
import { screeningMetricProviders } from './screening/screening.metrics';
import { ScreeningRepository } from './screening/screening.repository';
import { ScreeningsController } from './screening/screenings.controller';
import { ScreeningsService } from './screening/screenings.service';

/**
 * Sanctions screening (issue 11): list imports into PostgreSQL with atomic activation, an
 * in-memory index per active version on every instance, ad-hoc and batch screenings, screening of
 * verification parties on submission, officers' decisions on hits, and the scheduled download of a
 * configured list source (refresh/, off by default). Alerts and ongoing
 * monitoring live in the alerts module, which plugs in through ScreeningAlertHook.
 */
@Module({
  imports: [AuditModule, JobsModule, VenuesModule],
  controllers: [ScreeningsController, SanctionsImportsController],
  providers: [
    Clock, ActiveSanctionsLists, ScreeningAlertHook, ScreeningResultCache, ScreeningRepository, AdhocScreeningStore, ScreeningsService, ScreeningDispositionsService, SanctionsImportsService,
    SanctionsSourceDownloader, SanctionsListRefresher, SanctionsListRefreshJob, ...screeningMetricProviders, ...sanctionsListMetricProviders,
  ],
  exports: [ActiveSanctionsLists, ScreeningsService, ScreeningDispositionsService, ScreeningAlertHook],
})
export class SanctionsModule {}
