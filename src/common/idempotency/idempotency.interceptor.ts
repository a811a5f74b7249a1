import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable, of } from 'rxjs';
import type { AppConfig } from '../../config/app-config';
import { TenantTransactions } from '../../database/tenant-transaction';
import type { RequestPrincipal } from '../request-principal';
import { IdempotencyKeyInProgressError, IdempotencyKeyInvalidError, IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyRepository, type IdempotencyScope } from './idempotency.repository';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotency-replayed';
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on any authenticated POST (draft-ietf-httpapi-idempotency-key-header): the
 * first request claims the key; a retry with the same body gets the stored response with
 * `Idempotency-Replayed: true`; the same key with another body is a 422; a retry while the first
 * is still running is a 409. A request that fails releases its key, so the client can retry it.
 * Multipart uploads are left to their own content-addressed idempotency (documents: SHA-256).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly ttlHours: number;

  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly transactions: TenantTransactions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlHours = config.get('domain', { infer: true }).idempotencyKeyTtlHours;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (request.method !== 'POST' || key === undefined || request.principal === undefined || isMultipart(request)) return next.handle();
    if (typeof key !== 'string' || !ACCEPTABLE_KEY.test(key)) {
      throw new IdempotencyKeyInvalidError('Idempotency-Key must be 1–255 visible ASCII characters (a UUID is a good choice)');
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? HttpStatus.CREATED;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.handle(scopeOf(request.principal, key), requestHashOf(request), status, reply, next));
  }

  private async handle(scope: IdempotencyScope, requestHash: Buffer, status: number, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const stored = await this.transactions.withTenantTransaction(scope, (tx) => this.repository.claim(tx, scope, requestHash, this.ttlHours));
    if (stored !== 'claimed') {
      if (!stored.request_hash.equals(requestHash)) throw new IdempotencyKeyReusedError();
      if (stored.status === 'in_progress') throw new IdempotencyKeyInProgressError();
      void reply.status(stored.response_status ?? status).header(IDEMPOTENCY_REPLAYED_HEADER, 'true');
      return lastValueFrom(of(stored.response_body));
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: null });
      await this.transactions.withTenantTransaction(scope, (tx) => this.repository.complete(tx, scope, status, body));
      return body;
    } catch (error) {
      await this.transactions.withTenantTransaction(scope, (tx) => this.repository.release(tx, scope));
      throw error;
    }
  }
}

function scopeOf(principal: RequestPrincipal, key: string): IdempotencyScope {
  return { tenantId: principal.tenantId, principalId: principal.userId, key };
}

/** Method, route and body: the same key on another endpoint is another request. */
function requestHashOf(request: FastifyRequest): Buffer {
  return createHash('sha256')
    .update(`${request.method} ${request.url.split('?')[0] ?? ''}\n`)
    .update(JSON.stringify(request.body ?? null))
    .digest();
}

function isMultipart(request: FastifyRequest): boolean {
  return request.headers['content-type']?.toLowerCase().startsWith('multipart/') === true;
}
