import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ScrapeTimeSnapshot } from '../../metrics/scrape-time-snapshot';
import { ALERT_SEVERITIES, type AlertSeverity, AlertRepository } from './alert.repository';

export type OpenAlerts = Record<AlertSeverity, { count: number; oldestSeconds: number }>;

/** What the alert gauges show, across tenants, read at scrape time (one aggregate query). */
@Injectable()
export class OpenAlertsReader {
  private readonly snapshot: ScrapeTimeSnapshot<OpenAlerts>;

  constructor(@InjectDataSource() dataSource: DataSource, alerts: AlertRepository) {
    this.snapshot = new ScrapeTimeSnapshot('the open alerts', async () => {
      const rows = await alerts.openAcrossTenants(dataSource.manager);
      return Object.fromEntries(ALERT_SEVERITIES.map((severity) => {
        const row = rows.find((candidate) => candidate.key === severity);
        return [severity, { count: row?.count ?? 0, oldestSeconds: row?.oldest_seconds ?? 0 }];
      })) as OpenAlerts;
    });
  }

  status(): Promise<OpenAlerts | undefined> {
    return this.snapshot.value();
  }
}
