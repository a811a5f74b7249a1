import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { RequestPrincipal } from '../common/request-principal';
import { ApiProblems, ApiResult } from '../openapi/zod-openapi.decorators';
import { CurrentPrincipal } from './current-principal.decorator';
import { ROLES } from './roles';
import { Roles } from './roles.decorator';

export const principalViewSchema = z.object({
  userId: z.string(),
  tenantId: z.string(),
  roles: z.array(z.enum(ROLES)),
  venueIds: z.array(z.string()).describe('the venues a venue_owner acts for; empty for other roles'),
});
export type PrincipalView = z.infer<typeof principalViewSchema>;

/**
 * Who the caller is, as its verified token says: the console shows only what these roles may do.
 * Behind the platform's SSO proxy the console never sees the token itself, so it asks here.
 */
@ApiTags('auth')
@Controller('api/v1/me')
@Roles(...ROLES)
export class MeController {
  @Get()
  @ApiResult(200, 'The caller: user, tenant, roles and venues', principalViewSchema)
  @ApiProblems(401)
  me(@CurrentPrincipal() principal: RequestPrincipal): PrincipalView {
    return { userId: principal.userId, tenantId: principal.tenantId, roles: [...principal.roles], venueIds: [...principal.venueIds] };
  }
}
