import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { catchError, finalize, from, mergeMap, type Observable } from 'rxjs';
import { clientAbortSignal } from '../../common/client-abort-signal';
import { markOverloadRefusal } from '../../common/overload-refusal';
import type { BulkheadPoolName } from '../../config/bulkhead-pools';
import { FeatureFlagsService } from '../../flags/feature-flags.service';
import { BulkheadRejection } from './bulkhead-rejection';
import { BULKHEAD_POOL_METADATA } from './bulkhead.constants';
import { BulkheadFullError, BulkheadQueueTimeoutError } from './bulkhead.errors';
import { BulkheadRegistry } from './bulkhead.registry';

const RETRY_AFTER_SECONDS = 1;

/**
 * Runs the handler inside its pool. The slot is held until the handler's work settles (success,
 * thrown error) — not merely until the client leaves, because the work would go on using what the
 * bulkhead protects. A client that leaves while queued gives up its place at once; handlers that
 * take `@ClientAbortSignal()` can stop early, and their slot frees when they do.
 */
@Injectable()
export class BulkheadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: BulkheadRegistry,
    private readonly flags: FeatureFlagsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const poolName = this.reflector.getAllAndOverride<BulkheadPoolName | undefined>(BULKHEAD_POOL_METADATA, [context.getHandler(), context.getClass()]);
    if (poolName === undefined || !this.flags.isServiceFlagEnabled('BULKHEAD_PATTERN')) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.registry.pool(poolName).acquire(clientAbortSignal(reply))).pipe(
      catchError((error: unknown) => {
        throw error instanceof BulkheadRejection ? this.refusal(poolName, error, reply) : error;
      }),
      mergeMap((lease) => next.handle().pipe(finalize(() => lease.release()))),
    );
  }

  private refusal(pool: BulkheadPoolName, rejection: BulkheadRejection, reply: FastifyReply): Error {
    // Counted and logged (rate-limited) by the registry's observer; not an error to log per request.
    markOverloadRefusal(reply.request);
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return rejection.reason === 'queue_timeout'
      ? new BulkheadQueueTimeoutError(`The ${pool} pool had no free slot within its queue timeout; retry after ${RETRY_AFTER_SECONDS} s`)
      : new BulkheadFullError(`The ${pool} pool and its queue are full; retry after ${RETRY_AFTER_SECONDS} s`);
  }
}
