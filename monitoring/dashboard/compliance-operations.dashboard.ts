/**
 * "Compliance operations": the compliance work itself (screening, review queues, deadlines,
 * delivery), built with Grafana's typed SDK. The database-wide gauges are the same on every pod,
 * so panels take their max across pods; counters are summed.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, DashboardCursorSync, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable, namespaceVariable, type Section, stat, timeseries, withSections } from './panels';

const SERVICE = 'job="compliance-service", namespace="$namespace"';
const HOURS_48 = 48 * 3600;

const rate = (metric: string) => `rate(${metric}{${SERVICE}}[$__rate_interval])`;

const screening: Section = {
  title: 'Sanctions screening',
  panels: [
    stat({
      title: 'Screening error rate (5 m)', unit: 'percentunit', width: 6,
      description: 'Subjects whose screening failed (no list loaded, database errors) / all subjects screened. ComplianceScreeningErrorRate above 1 %.',
      queries: [{ expr: `sum(rate(compliance_sanctions_screenings_total{${SERVICE}, outcome="error"}[5m])) / sum(rate(compliance_sanctions_screenings_total{${SERVICE}}[5m]))`, legend: 'error rate' }],
      thresholds: [{ color: 'green', value: null }, { color: 'red', value: 0.01 }],
    }),
    stat({
      title: 'List age', unit: 's', width: 6,
      description: 'Time since the active version of each source was imported (oldest pod). ComplianceSanctionsListStale above 48 h.',
      queries: [{ expr: `max by (source) (compliance_sanctions_list_age_seconds{${SERVICE}})`, legend: '{{source}}' }],
      thresholds: [{ color: 'green', value: null }, { color: 'red', value: HOURS_48 }],
    }),
    stat({
      title: 'Active list version', unit: 'none', width: 12,
      description: 'The version id each source screens against; two values for a source while pods disagree (a pod that did not load the new version).',
      queries: [{ expr: `count by (source, version) (compliance_sanctions_list_active_info{${SERVICE}})`, legend: '{{source}} {{version}}' }],
    }, common.BigValueTextMode.Name),
    timeseries({
      title: 'Screenings by outcome and list', unit: 'ops', width: 12,
      description: 'Subjects screened per second (ad hoc, on submission, by ongoing monitoring); list: that of the best hit, none for CLEAR and errors.',
      queries: [{ expr: `sum by (outcome, list) (${rate('compliance_sanctions_screenings_total')})`, legend: '{{outcome}} {{list}}' }],
    }),
    timeseries({
      title: 'List imports', unit: 'short', width: 12,
      description: 'Imports run by the service (admin endpoint, sanctions-list-refresh) per hour by status, and the p99 duration. ComplianceSanctionsListImportFailed on any failure.',
      queries: [
        { expr: `sum by (source, status) (increase(compliance_sanctions_list_import_duration_seconds_count{${SERVICE}}[1h]))`, legend: '{{source}} {{status}} / h' },
        { expr: `histogram_quantile(0.99, sum by (le, source) (rate(compliance_sanctions_list_import_duration_seconds_bucket{${SERVICE}}[1h])))`, legend: '{{source}} p99', unit: 's' },
      ],
    }),
  ],
};

const queues: Section = {
  title: 'Review queues',
  panels: [
    timeseries({
      title: 'Verifications by state', unit: 'short', width: 12,
      description: 'Venue verifications of every tenant by state; pending and in_review wait for an officer.',
      queries: [{ expr: `max by (state) (compliance_verifications{${SERVICE}})`, legend: '{{state}}' }],
    }),
    timeseries({
      title: 'Oldest verification waiting for review', unit: 's', width: 12,
      description: 'Since submission, against the review SLA (VERIFICATION_REVIEW_DEADLINE_DAYS). ComplianceVerificationReviewSlaBreached above it.',
      queries: [
        { expr: `max(compliance_verification_oldest_waiting_seconds{${SERVICE}})`, legend: 'oldest waiting' },
        { expr: `max(compliance_verification_review_sla_seconds{${SERVICE}})`, legend: 'SLA' },
      ],
    }),
    timeseries({
      title: 'Open screening alerts by severity', unit: 'short', width: 12,
      description: 'Alerts open or being investigated, every tenant.',
      queries: [{ expr: `max by (severity) (compliance_screening_alerts_open{${SERVICE}})`, legend: '{{severity}}' }],
    }),
    timeseries({
      title: 'Oldest open screening alert', unit: 's', width: 12,
      description: 'Age of the oldest alert not closed, by severity.',
      queries: [{ expr: `max by (severity) (compliance_screening_alert_oldest_open_seconds{${SERVICE}})`, legend: '{{severity}}' }],
    }),
  ],
};

const deadlines: Section = {
  title: 'Privacy and tax',
  panels: [
    stat({
      title: 'Privacy requests overdue', unit: 'short', width: 6,
      description: 'Open data-subject requests past their due date (GDPR Art. 12(3)). CompliancePrivacyRequestOverdue on any.',
      queries: [{ expr: `max(compliance_privacy_requests_overdue{${SERVICE}})`, legend: 'overdue' }],
      thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }],
    }),
    stat({
      title: 'Privacy requests due', unit: 'short', width: 6,
      description: 'Open data-subject requests still within their deadline.',
      queries: [{ expr: `max(compliance_privacy_requests_due{${SERVICE}})`, legend: 'due' }],
    }),
    stat({
      title: '1099-K qualifying venues', unit: 'short', width: 12,
      description: 'Venues whose USD charges meet a Form 1099-K threshold, this tax year so far and last year (read at most once a minute).',
      queries: [{ expr: `max by (tax_year) (compliance_tax_1099k_qualifying_venues{${SERVICE}})`, legend: '{{tax_year}}' }],
    }, common.BigValueTextMode.ValueAndName),
  ],
};

const delivery: Section = {
  title: 'Delivery and jobs',
  panels: [
    timeseries({
      title: 'Outbox lag', unit: 's', width: 8,
      description: 'Age of the oldest event not yet delivered to a subscriber. ComplianceOutboxLag above 5 minutes.',
      queries: [{ expr: `max(event_outbox_lag_seconds{${SERVICE}})`, legend: 'lag' }],
      thresholds: [{ color: 'green', value: null }, { color: 'red', value: 300 }],
    }),
    timeseries({
      title: 'Dead-lettered deliveries', unit: 'short', width: 8,
      description: 'Deliveries given up after EVENT_DELIVERY_MAX_AGE_SECONDS. ComplianceEventDeadLetters on any.',
      queries: [{ expr: `sum(increase(event_deliveries_dead_total{${SERVICE}}[$__rate_interval]))`, legend: 'dead-lettered' }],
      thresholds: [{ color: 'green', value: null }, { color: 'red', value: 1 }],
    }),
    timeseries({
      title: 'Background jobs', unit: 's', width: 8,
      description: 'Time since each job last succeeded (absent until it first does), and jobs waiting per queue. ComplianceDailyJobNotSucceeded after 26 h for daily jobs.',
      queries: [
        { expr: `time() - max by (job_name) (job_last_success_timestamp_seconds{${SERVICE}})`, legend: '{{job_name}} since success' },
        { expr: `max by (queue) (job_queue_depth{${SERVICE}})`, legend: '{{queue}} waiting', unit: 'short' },
      ],
    }),
  ],
};

const builder = new DashboardBuilder('compliance-service / Compliance operations')
  .uid('compliance-operations')
  .description('The compliance work: screening and lists, review queues, privacy and tax deadlines, event delivery and jobs. Generated by monitoring/dashboard (npm run monitoring:build).')
  .tags(['compliance-service', 'tickettoken'])
  .timezone('utc')
  .readonly()
  .tooltip(DashboardCursorSync.Crosshair)
  .refresh('1m')
  .time({ from: 'now-24h', to: 'now' })
  .withVariable(datasourceVariable())
  .withVariable(namespaceVariable());

export const complianceOperationsDashboard: Dashboard = withSections(builder, [screening, queues, deadlines, delivery]).build();
