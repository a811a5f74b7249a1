import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countsByKey } from '../../../common/counts-by-key';
import { ScrapeTimeSnapshot } from '../../../metrics/scrape-time-snapshot';
import { VerificationRepository } from './verification.repository';
import { AWAITING_DECISION, VERIFICATION_STATES, type VerificationState } from './verification-state';

export interface VerificationQueueStatus {
  byState: Record<VerificationState, number>;
  /** How long the longest-waiting verification awaiting an officer's decision has waited; 0 when none waits. */
  oldestWaitingSeconds: number;
}

/** What the verification gauges show, across tenants, read at scrape time (one aggregate query). */
@Injectable()
export class VerificationQueueReader {
  private readonly snapshot: ScrapeTimeSnapshot<VerificationQueueStatus>;

  constructor(@InjectDataSource() dataSource: DataSource, verifications: VerificationRepository) {
    this.snapshot = new ScrapeTimeSnapshot('the verification queue', async () => {
      const rows = await verifications.statesAcrossTenants(dataSource.manager);
      const waiting = rows.filter((row) => AWAITING_DECISION.includes(row.key)).map((row) => row.oldest_seconds);
      return { byState: countsByKey(VERIFICATION_STATES, rows), oldestWaitingSeconds: Math.max(0, ...waiting) };
    });
  }

  status(): Promise<VerificationQueueStatus | undefined> {
    return this.snapshot.value();
  }
}
