import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { z } from 'zod';
import type { RequestPrincipal } from '../../../common/request-principal';
import type { AppConfig } from '../../../config/app-config';
import { TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import { VerificationRepository } from '../verifications/verification.repository';

export const fourEyesSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  minAnnualVolumeCents: z.number().int().min(0).max(1e13).nullable().describe('null: the service default (FOUR_EYES_MIN_ANNUAL_VOLUME_CENTS)'),
});
export type FourEyesSettings = z.infer<typeof fourEyesSettingsSchema>;
export const effectiveFourEyesSchema = fourEyesSettingsSchema.extend({ effectiveMinAnnualVolumeCents: z.number() });
export type EffectiveFourEyesSettings = z.infer<typeof effectiveFourEyesSchema>;

/** Per-tenant four-eyes setting: on by default for venues expecting at least the configured volume. */
@Injectable()
export class FourEyesSettingsService {
  private readonly defaultMinimum: number;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly verifications: VerificationRepository,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.defaultMinimum = config.get('domain', { infer: true }).fourEyesMinAnnualVolumeCents;
  }

  get(principal: RequestPrincipal): Promise<EffectiveFourEyesSettings> {
    return this.transactions.withTenantTransaction(principal, async (tx) => this.effective(await this.verifications.fourEyesSettings(tx, principal.tenantId)));
  }

  save(principal: RequestPrincipal, settings: FourEyesSettings): Promise<EffectiveFourEyesSettings> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const before = this.effective(await this.verifications.fourEyesSettings(tx, principal.tenantId));
      await this.verifications.saveFourEyesSettings(tx, principal.tenantId, settings.enabled, settings.minAnnualVolumeCents, principal.userId);
      const after = this.effective({ enabled: settings.enabled, minAnnualVolumeCents: settings.minAnnualVolumeCents });
      await this.audit.record(tx, { action: 'settings.four_eyes_changed', resourceType: 'tenant_settings', resourceId: principal.tenantId, before, after });
      return after;
    });
  }

  private effective(stored: { enabled: boolean; minAnnualVolumeCents: number | null } | undefined): EffectiveFourEyesSettings {
    const minAnnualVolumeCents = stored?.minAnnualVolumeCents ?? null;
    return { enabled: stored?.enabled ?? true, minAnnualVolumeCents, effectiveMinAnnualVolumeCents: minAnnualVolumeCents ?? this.defaultMinimum };
  }
}
