import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../database/tenant-transaction';
import type { DomainEvent } from './domain-event';
import { DomainEventsRepository } from './domain-events.repository';

/**
 * Records domain events inside the caller's transaction, so an event exists exactly when the
 * change it announces committed. Publishing them (an outbox relay) is not part of this service yet.
 */
@Injectable()
export class DomainEventsService {
  constructor(private readonly repository: DomainEventsRepository) {}

  /** True when recorded; false when its dedup key had already happened. */
  record(tx: TenantTransaction, tenantId: string, event: DomainEvent): Promise<boolean> {
    return this.repository.insert(tx, tenantId, event);
  }

  alreadyRecorded(tx: TenantTransaction, tenantId: string, type: string, dedupKeys: readonly string[]): Promise<Set<string>> {
    return dedupKeys.length === 0 ? Promise.resolve(new Set()) : this.repository.existingDedupKeys(tx, tenantId, type, dedupKeys);
  }

}
