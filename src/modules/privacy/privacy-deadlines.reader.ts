import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ScrapeTimeSnapshot } from '../../metrics/scrape-time-snapshot';
import { PrivacyRequestRepository } from './privacy-request.repository';

/** What the privacy request gauges show, across tenants, read at scrape time (one aggregate query). */
@Injectable()
export class PrivacyDeadlinesReader {
  private readonly snapshot: ScrapeTimeSnapshot<{ due: number; overdue: number }>;

  constructor(@InjectDataSource() dataSource: DataSource, requests: PrivacyRequestRepository) {
    this.snapshot = new ScrapeTimeSnapshot('the privacy request deadlines', () => requests.openAcrossTenants(dataSource.manager));
  }

  status(): Promise<{ due: number; overdue: number } | undefined> {
    return this.snapshot.value();
  }
}
