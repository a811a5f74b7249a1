import { Injectable } from '@nestjs/common';
import type { RequestPrincipal } from '../../../common/request-principal';
import { TenantSnapshotReader } from '../../../database/tenant-snapshot-reader';
import type { PayoutEligibility } from '../dto/verification.dto';
import { assertVenueAccess } from '../venue-access';
import { PAYOUT_ANSWER_SQL, type PayoutAnswerRow } from '../verifications/verification.repository';

/**
 * What the payments service asks before every payout. One indexed read of the answer the last
 * change stored (VerificationChecklist.refresh), so it is never stale after a change commits; only
 * the expiry of a verified venue depends on the clock, and the query checks that itself.
 */
@Injectable()
export class PayoutEligibilityService {
  constructor(private readonly reader: TenantSnapshotReader) {}

  async eligibility(principal: RequestPrincipal, venueId: string): Promise<PayoutEligibility> {
    assertVenueAccess(principal, venueId);
    const [answer] = await this.reader.query<PayoutAnswerRow>(principal.tenantId, PAYOUT_ANSWER_SQL, [principal.tenantId, venueId]);
    // An unknown venue and another tenant's venue get the same answer: nothing leaks.
    if (answer === undefined) return { eligible: false, disabled_reason: 'requirements.past_due', requirements_due: ['verification'] };
    if (answer.state === 'verified' && answer.lapsed) return { eligible: false, disabled_reason: 'requirements.past_due', requirements_due: ['verification.renewal'] };
    return { eligible: answer.payout_disabled_reason === null, disabled_reason: answer.payout_disabled_reason, requirements_due: answer.requirements_due };
  }
}
