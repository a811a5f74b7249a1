import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
/** Who is acting, as the operator states it; recorded in logs and the audit log. */
export const ADMIN_ACTOR_HEADER = 'x-admin-actor';
const ACCEPTABLE_ACTOR = /^[A-Za-z0-9@._:+-]{1,128}$/;

/**
 * Admin endpoints until authentication and roles exist: the caller must present ADMIN_API_TOKEN in
 * `x-internal-token` (logs redact that header). Without a configured token the admin API refuses
 * everyone. Sets `request.adminActor` for audit entries.
 */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  private readonly expectedDigest: Buffer | undefined;

  constructor(config: ConfigService<AppConfig, true>) {
    const token = config.get('admin', { infer: true }).token;
    this.expectedDigest = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (this.expectedDigest === undefined) {
      throw new ForbiddenException({ message: 'The admin API is disabled: ADMIN_API_TOKEN is not set', code: 'AUTH.ADMIN_API_DISABLED' });
    }
    const offered = request.headers[INTERNAL_TOKEN_HEADER];
    // Comparing fixed-length digests keeps the comparison constant-time whatever the offered length.
    if (typeof offered !== 'string' || !timingSafeEqual(digest(offered), this.expectedDigest)) {
      throw new UnauthorizedException(`A valid ${INTERNAL_TOKEN_HEADER} header is required`);
    }
    const actor = request.headers[ADMIN_ACTOR_HEADER];
    request.adminActor = typeof actor === 'string' && ACCEPTABLE_ACTOR.test(actor) ? `internal-token:${actor}` : 'internal-token';
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by InternalTokenGuard on admin routes. */
    adminActor?: string;
  }
}
