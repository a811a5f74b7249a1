import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { ScreeningHit } from './screening-hit';

/** A verification party's stored screening, with the hits no officer's false positive suppressed. */
export interface MonitoredScreening {
  screeningId: string;
  subjectKey: string;
  hits: readonly ScreeningHit[];
}

export interface ScreenedVerification {
  tenantId: string;
  verificationId: string;
  venueId: string;
  screenings: readonly MonitoredScreening[];
}

/** Opens alerts for the hits, in the screening's transaction; answers how many were new. */
export type AlertOpener = (tx: TenantTransaction, screened: ScreenedVerification) => Promise<number>;

/**
 * Where the alerts module plugs case management into verification screening. Sanctions does not
 * import alerts (alerts closes cases through sanctions' dispositions), so the alerts module
 * registers its opener here at start-up. None registered = screenings open no alerts.
 */
@Injectable()
export class ScreeningAlertHook {
  private opener: AlertOpener | undefined;

  register(opener: AlertOpener): void {
    this.opener = opener;
  }

  open(tx: TenantTransaction, screened: ScreenedVerification): Promise<number> {
    return this.opener === undefined ? Promise.resolve(0) : this.opener(tx, screened);
  }
}
