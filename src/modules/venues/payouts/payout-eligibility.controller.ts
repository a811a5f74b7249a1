import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { Criticality, NeverShed } from '../../../guards/load-shedding/criticality.decorator';
import { ApiPathParams, ApiProblems, ApiResult, ValidParams } from '../../../openapi/zod-openapi.decorators';
import { type PayoutEligibility, payoutEligibilitySchema } from '../dto/verification.dto';
import { type VenueParams, venueParamsSchema } from '../dto/venue-params.dto';
import { PayoutEligibilityService } from './payout-eligibility.service';

@ApiTags('payouts')
@Controller('api/v1/venues/:venueId/payout-eligibility')
export class PayoutEligibilityController {
  constructor(private readonly payouts: PayoutEligibilityService) {}

  /** Asked before every payout: never shed, one indexed read. */
  @Get()
  @Criticality('critical')
  @NeverShed()
  @Roles('service', 'compliance_manager', 'admin')
  @ApiPathParams(venueParamsSchema)
  @ApiResult(200, 'Whether payouts to the venue may proceed, and why not', payoutEligibilitySchema)
  @ApiProblems(400, 401, 403)
  eligibility(@CurrentPrincipal() principal: RequestPrincipal, @ValidParams(venueParamsSchema) params: VenueParams): Promise<PayoutEligibility> {
    return this.payouts.eligibility(principal, params.venueId);
  }
}
