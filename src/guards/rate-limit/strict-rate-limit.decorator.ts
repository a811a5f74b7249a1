import { SetMetadata } from '@nestjs/common';
import { STRICT_RATE_LIMIT_METADATA } from './rate-limit.constants';

/**
 * `@StrictRateLimit()`: an expensive route (screening, exports) is also under the `strict`
 * throttler (RATE_LIMIT_STRICT_*), counted per caller and route, on top of the `default` one every
 * route has. `@SkipThrottle()` from @nestjs/throttler exempts a route from both.
 */
export const StrictRateLimit = (): ClassDecorator & MethodDecorator => SetMetadata(STRICT_RATE_LIMIT_METADATA, true);
