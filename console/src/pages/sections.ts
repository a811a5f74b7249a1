import { route } from '../router';
import { OFFICERS } from '../who';
import { alertPage } from './alert';
import { alertsPage } from './alerts';
import { auditPage } from './audit';
import { myVenuesPage } from './my-venues';
import { privacyRequestsPage } from './privacy-requests';
import { riskFlagsPage } from './risk-flags';
import { taxReportPage } from './tax-report';

/** The console's other sections (alerts, risk flags, tax, privacy, audit, a venue owner's venues). */
export function registerSectionPages(): void {
  route({ pattern: '/alerts', label: 'Alerts', roles: OFFICERS, render: alertsPage });
  route({ pattern: '/alerts/:id', roles: OFFICERS, render: alertPage });
  route({ pattern: '/risk-flags', label: 'Risk flags', roles: OFFICERS, render: riskFlagsPage });
  route({ pattern: '/tax', label: 'Tax', roles: OFFICERS, render: taxReportPage });
  route({ pattern: '/privacy', label: 'Privacy', roles: OFFICERS, render: privacyRequestsPage });
  route({ pattern: '/audit', label: 'Audit', roles: OFFICERS, render: auditPage });
  route({ pattern: '/my-venues', label: 'My venues', roles: ['venue_owner'], render: myVenuesPage });
}
