import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const RATE_LIMIT_REJECTIONS = 'rate_limit_rejections_total';
export const RATE_LIMIT_STORAGE_ERRORS = 'rate_limit_storage_errors_total';

export const rateLimitMetricProviders = [
  makeCounterProvider({ name: RATE_LIMIT_REJECTIONS, help: 'Requests answered 429, by throttler (default, strict, webhook)', labelNames: ['throttler'] }),
  makeCounterProvider({
    name: RATE_LIMIT_STORAGE_ERRORS,
    help: 'Rate-limit checks that failed open because Redis did not answer in time or failed',
  }),
];
