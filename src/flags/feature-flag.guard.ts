import { type CanActivate, type ExecutionContext, Injectable, NotFoundException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { FEATURE_FLAGS_METADATA } from './feature-flag.decorator';
import { FeatureFlagsService } from './feature-flags.service';
import type { FlagName } from './flag-names';

/**
 * Global guard behind `@FeatureFlag`: routes without flags pass synchronously; a route whose flag is
 * off for this caller answers the same 404 as a route that does not exist (Nest's own wording), so
 * callers cannot tell a hidden feature from a missing one. Registered before rate limiting, so a
 * hidden route costs no quota.
 */
@Injectable()
export class FeatureFlagGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly flags: FeatureFlagsService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const required = this.reflector.getAllAndMerge<FlagName[]>(FEATURE_FLAGS_METADATA, [context.getHandler(), context.getClass()]);
    if (required.length === 0) return true;
    return this.check([...new Set(required)], context.switchToHttp().getRequest<FastifyRequest>());
  }

  private async check(required: FlagName[], request: FastifyRequest): Promise<boolean> {
    if ((await this.flags.firstDisabled(required, request.principal)) !== undefined) {
      throw new NotFoundException(`Cannot ${request.method} ${request.url}`);
    }
    return true;
  }
}
