export const STRICT_RATE_LIMIT_METADATA = 'compliance:strict-rate-limit';
