import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { AuthenticationError, ForbiddenRoleError } from './auth.errors';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
/** What the audit log records for a break-glass change: the token names no person. */
export const BREAK_GLASS_ACTOR = 'internal-token';

/**
 * The admin API (/admin/…, not exposed by the Ingress): a JWT with the `admin` role, whose `sub`
 * becomes the actor in the audit log. ADMIN_API_TOKEN (`x-internal-token`) remains as break-glass
 * access: the flags behind this API (load shedding above all) are what an operator reaches for
 * during an incident, which may be one of the identity provider that issues the JWTs. Without a
 * configured token only JWTs work. Client-supplied actor headers are not trusted.
 */
@Injectable()
export class AdminApiGuard implements CanActivate {
  private readonly expectedDigest: Buffer | undefined;

  constructor(config: ConfigService<AppConfig, true>) {
    const token = config.get('admin', { infer: true }).token;
    this.expectedDigest = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.principal !== undefined) {
      if (!request.principal.roles.includes('admin')) throw new ForbiddenRoleError('The admin API needs the admin role');
      request.adminActor = request.principal.userId;
      return true;
    }
    const offered = request.headers[INTERNAL_TOKEN_HEADER];
    // Fixed-length digests keep the comparison constant-time whatever the offered length.
    if (this.expectedDigest !== undefined && typeof offered === 'string' && timingSafeEqual(digest(offered), this.expectedDigest)) {
      request.adminActor = BREAK_GLASS_ACTOR;
      return true;
    }
    throw new AuthenticationError('The admin API needs a bearer token with the admin role (or the break-glass x-internal-token)');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AdminApiGuard: who the audit log names for an admin change. */
    adminActor?: string;
  }
}
