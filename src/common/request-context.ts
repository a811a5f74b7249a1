import { Injectable } from '@nestjs/common';
import { ClsService, type ClsStore } from 'nestjs-cls';
import type { RequestPrincipal } from './request-principal';

export interface RequestContextStore extends ClsStore {
  principal?: RequestPrincipal;
  requestId?: string;
}

/** Thrown when code that needs a caller runs outside an authenticated request. */
export class NoRequestPrincipalError extends Error {
  constructor() {
    super('No authenticated principal in the request context');
    this.name = 'NoRequestPrincipalError';
  }
}

/**
 * The request's principal and id, anywhere below the controller, through nestjs-cls
 * (AsyncLocalStorage), opened by RequestContextHook and given its principal by the authentication hook.
 */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestContextStore>) {}

  principal(): RequestPrincipal {
    const principal = this.cls.isActive() ? this.cls.get('principal') : undefined;
    if (principal === undefined) throw new NoRequestPrincipalError();
    return principal;
  }

  requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.get('requestId') : undefined;
  }
}
