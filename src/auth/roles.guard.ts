import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ForbiddenRoleError } from './auth.errors';
import type { Role } from './roles';
import { ROLES_KEY } from './roles.decorator';

/**
 * Global guard: a route of the API (/api/…, where the hook verified a principal) runs only for the
 * roles its `@Roles` names. A route that forgot `@Roles` is closed, not open. The admin API has its
 * own guard (AdminApiGuard); probes and metrics are not Nest routes.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal;
    if (principal === undefined || !request.url.startsWith('/api/')) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    if (principal.roles.some((role) => allowed.includes(role))) return true;
    throw new ForbiddenRoleError(
      allowed.length === 0 ? 'This operation is not open to any token role' : `This operation needs one of the roles: ${allowed.join(', ')}`,
    );
  }
}
