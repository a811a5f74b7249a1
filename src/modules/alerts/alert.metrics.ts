import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { ALERT_SEVERITIES } from './alert.repository';
import { OpenAlertsReader } from './open-alerts.reader';

/** Across tenants and without a tenant label: tenants are unbounded, severities are two. */
export const alertMetricProviders = [
  makeGaugeProvider({
    name: 'compliance_screening_alerts_open',
    help: 'Screening alerts of every tenant not closed (open or investigating), by severity (read at scrape time)',
    labelNames: ['severity'],
    inject: [OpenAlertsReader],
    async collect(this: Gauge<'severity'>, reader: OpenAlertsReader) {
      const status = await reader.status();
      if (status === undefined) return;
      for (const severity of ALERT_SEVERITIES) this.set({ severity }, status[severity].count);
    },
  }),
  makeGaugeProvider({
    name: 'compliance_screening_alert_oldest_open_seconds',
    help: 'Age of the oldest screening alert not closed, by severity; 0 when none is open',
    labelNames: ['severity'],
    inject: [OpenAlertsReader],
    async collect(this: Gauge<'severity'>, reader: OpenAlertsReader) {
      const status = await reader.status();
      if (status === undefined) return;
      for (const severity of ALERT_SEVERITIES) this.set({ severity }, status[severity].oldestSeconds);
    },
  }),
];
