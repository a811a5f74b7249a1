import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RequestPrincipal } from '../common/request-principal';
import { AuthenticationError } from './auth.errors';

/** The verified caller of a route under /api (the authentication hook refused the request otherwise). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): RequestPrincipal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (principal === undefined) throw new AuthenticationError('This operation needs an authenticated caller');
  return principal;
});
