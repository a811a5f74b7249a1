import { UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * `@Idempotent()` on every controller that has a POST route: its POSTs honour `Idempotency-Key`.
 * A class decorator rather than a global interceptor so that read-only controllers (payout
 * eligibility, asked before every payout) do not pay for an interceptor chain on each GET; the
 * idempotency suite fails when a controller with a POST route lacks it.
 */
export const Idempotent = (): ClassDecorator => UseInterceptors(IdempotencyInterceptor);
