import { Injectable } from '@nestjs/common';
import type { TenantTransaction } from '../../../database/tenant-transaction';
import type { SanctionsStatus } from './requirements';

/** The parties of a verification that sanctions screening covers (31 CFR 501: every party to a payment). */
export interface VerificationParties {
  tenantId: string;
  verificationId: string;
  venueId: string;
  legalName: string;
  owners: ReadonlyArray<{ id: string; fullName: string; dateOfBirth: string }>;
}

/** Screens the parties inside the submitting transaction; undefined = no list loaded, status unchanged. */
export type VerificationScreener = (tx: TenantTransaction, parties: VerificationParties) => Promise<SanctionsStatus | undefined>;

/**
 * Where the sanctions module plugs its screening into submissions. Venues does not import the
 * sanctions module (which depends on venues to set the status back), so the dependency points one
 * way: the sanctions module registers a screener here at start-up. None registered = `not_run`.
 */
@Injectable()
export class VerificationScreeningHook {
  private screener: VerificationScreener | undefined;

  register(screener: VerificationScreener): void {
    this.screener = screener;
  }

  screen(tx: TenantTransaction, parties: VerificationParties): Promise<SanctionsStatus | undefined> {
    return this.screener === undefined ? Promise.resolve(undefined) : this.screener(tx, parties);
  }
}
