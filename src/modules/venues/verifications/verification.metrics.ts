import { ConfigService } from '@nestjs/config';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import type { AppConfig } from '../../../config/app-config';
import { VERIFICATION_STATES } from './verification-state';
import { VerificationQueueReader } from './verification-queue.reader';

const DAY_SECONDS = 86_400;

/** Across tenants and without a tenant label: tenants are unbounded, states are six. */
export const verificationMetricProviders = [
  makeGaugeProvider({
    name: 'compliance_verifications',
    help: 'Venue verifications of every tenant, by state (read at scrape time)',
    labelNames: ['state'],
    inject: [VerificationQueueReader],
    async collect(this: Gauge<'state'>, reader: VerificationQueueReader) {
      const status = await reader.status();
      if (status === undefined) return;
      for (const state of VERIFICATION_STATES) this.set({ state }, status.byState[state]);
    },
  }),
  makeGaugeProvider({
    name: 'compliance_verification_oldest_waiting_seconds',
    help: 'Time since submission of the oldest verification waiting for an officer (pending or in_review); 0 when none waits',
    inject: [VerificationQueueReader],
    async collect(this: Gauge, reader: VerificationQueueReader) {
      const status = await reader.status();
      if (status !== undefined) this.set(status.oldestWaitingSeconds);
    },
  }),
  // The alert compares the oldest wait with this, so the SLA is configured once, in the service.
  makeGaugeProvider({
    name: 'compliance_verification_review_sla_seconds',
    help: 'How long a submitted verification may wait for review (VERIFICATION_REVIEW_DEADLINE_DAYS)',
    inject: [ConfigService],
    collect(this: Gauge, config: ConfigService<AppConfig, true>) {
      this.set(config.get('domain', { infer: true }).reviewDeadlineDays * DAY_SECONDS);
    },
  }),
];
