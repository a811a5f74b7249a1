import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock';
import type { AppConfig } from '../../../config/app-config';
import { TenantTransactions } from '../../../database/tenant-transaction';
import type { JobProgress } from '../../../jobs/job-definition';
import { DomainEventsService } from '../../events/domain-events.service';
import { PrivacyRequestRepository } from '../privacy-request.repository';

const DAY_MS = 86_400_000;

export interface ReminderCounts extends JobProgress {
  tenants: number;
  reminded: number;
}

/**
 * One `privacy.request_due_soon` event per open request and due date, PRIVACY_REMINDER_DAYS before
 * it is due (or at once when it is already closer or overdue). Marking the request and recording
 * the event commit together, so a retried run neither misses nor repeats a reminder; an extension
 * sets a new due date, which gets its own reminder.
 */
@Injectable()
export class PrivacyDueReminders {
  private readonly logger = new Logger(PrivacyDueReminders.name);
  private readonly reminderDays: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TenantTransactions,
    private readonly requests: PrivacyRequestRepository,
    private readonly events: DomainEventsService,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.reminderDays = config.get('privacy', { infer: true }).reminderDays;
  }

  async remind(report: (counts: ReminderCounts) => Promise<void>): Promise<ReminderCounts> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.reminderDays * DAY_MS);
    const counts: ReminderCounts = { tenants: 0, reminded: 0 };
    // Outside row-level security: only which tenants have open requests; the work is per tenant.
    const tenants: Array<{ tenant_id: string }> = await this.dataSource.query(
      "SELECT DISTINCT tenant_id FROM privacy_requests WHERE state IN ('received', 'in_progress') AND due_at < $1 AND reminded_for_due_at IS DISTINCT FROM due_at",
      [horizon],
    );
    for (const { tenant_id: tenantId } of tenants) {
      counts.reminded += await this.transactions.withTenantTransaction({ tenantId }, async (tx) => {
        const due = await this.requests.dueSoonUnreminded(tx, tenantId, horizon);
        for (const request of due) {
          await this.events.record(tx, tenantId, {
            type: 'privacy.request_due_soon',
            dedupKey: `${request.id}:${request.due_at.toISOString()}`,
            resourceKey: `privacy_request:${request.id}`,
            payload: { requestId: request.id, subjectId: request.subject_id, requestType: request.type, state: request.state, dueAt: request.due_at.toISOString(), overdue: request.due_at < now },
          });
        }
        return due.length;
      });
      counts.tenants += 1;
      await report({ ...counts });
    }
    this.logger.log({ ...counts }, 'Privacy due-date reminders sent');
    return counts;
  }
}
