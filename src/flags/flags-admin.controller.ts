import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminApiGuard, BREAK_GLASS_ACTOR } from '../auth/admin-api.guard';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { Criticality } from '../guards/load-shedding/criticality.decorator';
import { type FlagListQuery, flagListQuerySchema, setFlagOverrideSchema, tenantIdParamSchema } from './dto/flag-override.dto';
import { type FlagListing, FlagAdminService, type FlagState } from './flag-admin.service';
import type { FlagRule } from './flag-override';
import type { OverrideChange } from './flag-override.registry';

/**
 * Admin API of the feature flags: every flag with its effective value and where it comes from, and
 * runtime overrides for everyone or for one tenant. For the `admin` role (or the break-glass token:
 * AdminApiGuard). Critical: an operator turning load shedding on must get through an overloaded instance.
 */
@Controller('admin/flags')
@UseGuards(AdminApiGuard)
export class FlagsAdminController {
  constructor(private readonly admin: FlagAdminService) {}

  @Get()
  @Criticality('critical')
  list(@Query(new ZodValidationPipe(flagListQuerySchema)) query: FlagListQuery): Promise<FlagListing> {
    return this.admin.list(query);
  }

  @Put(':flag/override')
  @Criticality('critical')
  setForEveryone(
    @Param('flag') flag: string,
    @Body(new ZodValidationPipe(setFlagOverrideSchema)) rule: FlagRule,
    @Req() request: FastifyRequest,
  ): Promise<FlagState> {
    return this.admin.setOverride(flag, null, rule, changeOf(request));
  }

  @Delete(':flag/override')
  @HttpCode(204)
  @Criticality('critical')
  clearForEveryone(@Param('flag') flag: string, @Req() request: FastifyRequest): Promise<void> {
    return this.admin.clearOverride(flag, null, changeOf(request));
  }

  @Put(':flag/tenants/:tenantId/override')
  @Criticality('critical')
  setForTenant(
    @Param('flag') flag: string,
    @Param('tenantId', new ZodValidationPipe(tenantIdParamSchema)) tenantId: string,
    @Body(new ZodValidationPipe(setFlagOverrideSchema)) rule: FlagRule,
    @Req() request: FastifyRequest,
  ): Promise<FlagState> {
    return this.admin.setOverride(flag, tenantId, rule, changeOf(request));
  }

  @Delete(':flag/tenants/:tenantId/override')
  @HttpCode(204)
  @Criticality('critical')
  clearForTenant(
    @Param('flag') flag: string,
    @Param('tenantId', new ZodValidationPipe(tenantIdParamSchema)) tenantId: string,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.admin.clearOverride(flag, tenantId, changeOf(request));
  }
}

function changeOf(request: FastifyRequest): OverrideChange {
  return { actor: request.adminActor ?? BREAK_GLASS_ACTOR, requestId: request.id };
}
