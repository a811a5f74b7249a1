import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { PrivacyDeadlinesReader } from './privacy-deadlines.reader';

/** Across tenants, no labels: an overdue request anywhere breaks GDPR Art. 12(3)'s one month. */
export const privacyRequestMetricProviders = [
  makeGaugeProvider({
    name: 'compliance_privacy_requests_due',
    help: 'Open data-subject requests (received or in progress) whose deadline has not passed, every tenant (read at scrape time)',
    inject: [PrivacyDeadlinesReader],
    async collect(this: Gauge, reader: PrivacyDeadlinesReader) {
      const status = await reader.status();
      if (status !== undefined) this.set(status.due);
    },
  }),
  makeGaugeProvider({
    name: 'compliance_privacy_requests_overdue',
    help: 'Open data-subject requests past their deadline (due_at, after any extension), every tenant (read at scrape time)',
    inject: [PrivacyDeadlinesReader],
    async collect(this: Gauge, reader: PrivacyDeadlinesReader) {
      const status = await reader.status();
      if (status !== undefined) this.set(status.overdue);
    },
  }),
];
