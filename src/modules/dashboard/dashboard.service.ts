import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { RequestPrincipal } from '../../common/request-principal';
import { TenantTransactions } from '../../database/tenant-transaction';
import { AlertsService } from '../alerts/alerts.service';
import { EventDeliveryService } from '../events/delivery/event-delivery.service';
import { PrivacyRequestsService } from '../privacy/privacy-requests.service';
import { ScreeningsService } from '../sanctions/screening/screenings.service';
import { TaxReportsService } from '../tax/reports/tax-reports.service';
import { VerificationsService } from '../venues/verifications/verifications.service';
import type { DashboardView } from './dto/dashboard.dto';

const DAY_MS = 86_400_000;
const SCREENING_WINDOW_DAYS = 30;

/**
 * One tenant's compliance figures at a glance. Each is counted by the module that owns the data,
 * inside one tenant transaction, so row-level security applies to every count; undelivered events
 * are the exception: deliveries carry no tenant of their own, and the events module counts those
 * of the tenant's events.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly verifications: VerificationsService,
    private readonly alerts: AlertsService,
    private readonly screenings: ScreeningsService,
    private readonly taxReports: TaxReportsService,
    private readonly deliveries: EventDeliveryService,
    private readonly privacyRequests: PrivacyRequestsService,
    private readonly clock: Clock,
  ) {}

  async summary(principal: RequestPrincipal): Promise<DashboardView> {
    const { tenantId } = principal;
    const now = this.clock.now();
    const since = new Date(now.getTime() - SCREENING_WINDOW_DAYS * DAY_MS);
    // Tax years are calendar years in UTC, as everywhere in the tax module.
    const taxYear = now.getUTCFullYear();
    const counts = await this.transactions.withTenantTransaction(principal, async (tx) => ({
      verifications: await this.verifications.countByState(tx, tenantId),
      openAlerts: await this.alerts.countOpenBySeverity(tx, tenantId),
      screenings: await this.screenings.countByResultSince(tx, tenantId, since),
      venuesOverThreshold: await this.taxReports.countVenuesOverThreshold(tx, tenantId, taxYear),
      overduePrivacyRequests: await this.privacyRequests.countOverdue(tx, tenantId, now),
    }));
    return {
      generatedAt: now.toISOString(),
      verifications: counts.verifications,
      openAlerts: counts.openAlerts,
      screenings: { since: since.toISOString(), total: Object.values(counts.screenings).reduce((sum, n) => sum + n, 0), byResult: counts.screenings },
      tax: { taxYear, venuesOverThreshold: counts.venuesOverThreshold },
      overduePrivacyRequests: counts.overduePrivacyRequests,
      undeliveredEvents: await this.deliveries.undeliveredEventsOf(tenantId),
    };
  }
}
