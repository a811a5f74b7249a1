import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';
import { RateLimitedLogger } from '../../common/rate-limited-logger';
import type { AppConfig } from '../../config/app-config';
import { BULKHEAD_POOL_NAMES, type BulkheadPoolName } from '../../config/bulkhead-pools';
import { BulkheadPool } from './bulkhead-pool';
import { BULKHEAD_REJECTION_REASONS } from './bulkhead-rejection';
import { BULKHEAD_ACTIVE, BULKHEAD_QUEUED, BULKHEAD_REJECTED } from './bulkhead.metrics';

/** The pools of this instance, sized from AppConfig.bulkheads, each reporting to the metrics. */
@Injectable()
export class BulkheadRegistry {
  private readonly pools: Record<BulkheadPoolName, BulkheadPool>;
  /** Refusals come in floods when a pool saturates: at most a line a second per pool and reason. */
  private readonly refusalLog = new RateLimitedLogger(new Logger('Bulkhead'));

  constructor(
    config: ConfigService<AppConfig, true>,
    @InjectMetric(BULKHEAD_ACTIVE) active: Gauge<'pool'>,
    @InjectMetric(BULKHEAD_QUEUED) queued: Gauge<'pool'>,
    @InjectMetric(BULKHEAD_REJECTED) rejected: Counter<'pool' | 'reason'>,
  ) {
    const limits = config.get('bulkheads', { infer: true });
    const entries = BULKHEAD_POOL_NAMES.map((pool) => {
      active.set({ pool }, 0);
      queued.set({ pool }, 0);
      // Every series exists from the start, so dashboards show 0 rather than "No data".
      for (const reason of BULKHEAD_REJECTION_REASONS) rejected.inc({ pool, reason }, 0);
      const observer = {
        changed: (activeCount: number, queuedCount: number) => {
          active.set({ pool }, activeCount);
          queued.set({ pool }, queuedCount);
        },
        rejected: (reason: string) => {
          rejected.inc({ pool, reason });
          this.refusalLog.warn(`${pool}:${reason}`, `Bulkhead ${pool} refused a call (${reason})`, { pool, reason });
        },
      };
      return [pool, new BulkheadPool(limits[pool], observer)] as const;
    });
    this.pools = Object.fromEntries(entries) as Record<BulkheadPoolName, BulkheadPool>;
  }

  pool(name: BulkheadPoolName): BulkheadPool {
    return this.pools[name];
  }
}
