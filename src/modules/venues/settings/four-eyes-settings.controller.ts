import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../auth/current-principal.decorator';
import { Roles } from '../../../auth/roles.decorator';
import type { RequestPrincipal } from '../../../common/request-principal';
import { ApiJsonBody, ApiProblems, ApiResult, ValidBody } from '../../../openapi/zod-openapi.decorators';
import { type EffectiveFourEyesSettings, effectiveFourEyesSchema, type FourEyesSettings, FourEyesSettingsService, fourEyesSettingsSchema } from './four-eyes-settings.service';

@ApiTags('settings')
@Controller('api/v1/settings/four-eyes')
export class FourEyesSettingsController {
  constructor(private readonly settings: FourEyesSettingsService) {}

  @Get()
  @Roles('compliance_officer', 'compliance_manager', 'admin')
  @ApiResult(200, 'Whether approvals need two officers, and from which expected annual volume', effectiveFourEyesSchema)
  @ApiProblems(401, 403)
  get(@CurrentPrincipal() principal: RequestPrincipal): Promise<EffectiveFourEyesSettings> {
    return this.settings.get(principal);
  }

  @Put()
  @Roles('compliance_manager', 'admin')
  @ApiJsonBody(fourEyesSettingsSchema)
  @ApiResult(200, 'The tenant\'s new four-eyes setting (applies to verifications submitted from now on)', effectiveFourEyesSchema)
  @ApiProblems(400, 401, 403)
  save(@CurrentPrincipal() principal: RequestPrincipal, @ValidBody(fourEyesSettingsSchema) body: FourEyesSettings): Promise<EffectiveFourEyesSettings> {
    return this.settings.save(principal, body);
  }
}
