import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';
import { JobsService } from '../../jobs/jobs.service';
import { EVENT_FANOUT_JOB } from './delivery/event-job-definitions';
import type { DomainEvent } from './domain-event';
import { DomainEventsRepository } from './domain-events.repository';

/**
 * Records domain events inside the caller's transaction, together with the job that fans each out
 * to its subscribers (the transactional outbox on pg-boss): an event exists, and will be delivered,
 * exactly when the change it announces committed.
 */
@Injectable()
export class DomainEventsService {
  constructor(
    private readonly repository: DomainEventsRepository,
    private readonly jobs: JobsService,
  ) {}

  /** True when recorded; false when its dedup key had already happened. */
  async record(tx: TenantTransaction, tenantId: string, event: DomainEvent): Promise<boolean> {
    const eventId = await this.repository.insert(tx, tenantId, event);
    if (eventId === null) return false;
    await this.jobs.enqueue(EVENT_FANOUT_JOB, { eventId }, { tx });
    return true;
  }

  alreadyRecorded(tx: TenantTransaction, tenantId: string, type: string, dedupKeys: readonly string[]): Promise<Set<string>> {
    return dedupKeys.length === 0 ? Promise.resolve(new Set()) : this.repository.existingDedupKeys(tx, tenantId, type, dedupKeys);
  }
}
