export const STRICT_RATE_LIMIT_METADATA = 'compliance:strict-rate-limit';
export const WEBHOOK_RATE_LIMIT_METADATA = 'compliance:webhook-rate-limit';
