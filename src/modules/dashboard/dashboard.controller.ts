import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { RequestPrincipal } from '../../common/request-principal';
import { ApiProblems, ApiResult } from '../../openapi/zod-openapi.decorators';
import { DashboardService } from './dashboard.service';
import { type DashboardView, dashboardSchema } from './dto/dashboard.dto';

@ApiTags('dashboard')
@Controller('api/v1/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiResult(200, 'The tenant\'s verifications per state, open alerts per severity, screenings of the last 30 days, venues over a tax threshold this year and undelivered events', dashboardSchema)
  @ApiProblems(401, 403)
  get(@CurrentPrincipal() principal: RequestPrincipal): Promise<DashboardView> {
    return this.dashboard.summary(principal);
  }
}
