import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock';
import { ScrapeTimeSnapshot } from '../../../metrics/scrape-time-snapshot';
import { TaxLedgerRepository } from '../tax-ledger.repository';
import { jurisdictionsMet } from '../tax-thresholds';
import { taxYearOf } from '../tax-totals';

/**
 * Reading a year of charges per venue is the costliest of the scrape-time reads, and the count
 * moves by a venue now and then: scrapes within a minute share one read.
 */
const SNAPSHOT_TTL_MS = 60_000;

/**
 * Venues that need a Form 1099-K (any jurisdiction's threshold met, the test forms are generated
 * by) in the current tax year and the one before (its forms are filed in January), across tenants.
 */
@Injectable()
export class QualifyingVenuesReader {
  private readonly snapshot: ScrapeTimeSnapshot<Map<number, number>>;

  constructor(@InjectDataSource() dataSource: DataSource, ledger: TaxLedgerRepository, clock: Clock) {
    this.snapshot = new ScrapeTimeSnapshot('the 1099-K qualifying venues', async () => {
      const current = taxYearOf(clock.now());
      const counts = new Map<number, number>();
      for (const year of [current - 1, current]) {
        const thresholds = await ledger.thresholds(dataSource.manager, year);
        const totals = await ledger.chargeTotalsAcrossTenants(dataSource.manager, year);
        counts.set(year, totals.filter((venue) => jurisdictionsMet(venue, thresholds).length > 0).length);
      }
      return counts;
    }, SNAPSHOT_TTL_MS);
  }

  byTaxYear(): Promise<Map<number, number> | undefined> {
    return this.snapshot.value();
  }
}
