import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';
import { DATABASE_QUERY_DURATION, DATABASE_QUERY_ERRORS } from './database.metrics';

/**
 * Query timing from TypeORM's own `afterQuery` event: TypeORM already measures each query, so this
 * adds one histogram observation per query and no timer of our own.
 */
@Injectable()
export class DatabaseQueryMetricsSubscriber implements EntitySubscriberInterface {
  constructor(
    dataSource: DataSource,
    @InjectMetric(DATABASE_QUERY_DURATION) private readonly duration: Histogram,
    @InjectMetric(DATABASE_QUERY_ERRORS) private readonly errors: Counter,
  ) {
    // NestJS's documented way to attach a subscriber to a DataSource the module created.
    dataSource.subscribers.push(this);
  }

  afterQuery(event: AfterQueryEvent): void {
    if (!event.success) {
      this.errors.inc();
    } else if (event.executionTime !== undefined) {
      this.duration.observe(event.executionTime / 1000);
    }
  }
}
