/** Keys whose values never enter the audit log in clear, at any depth of before/after. */
const SENSITIVE_KEY = /^(ein|tin|ssn|taxId|ein_?ciphertext|password|secret|token|authorization|content)$/i;
const MASK = '[masked]';

/** Copies `value`, masking sensitive keys; Dates become ISO strings, as they would in jsonb. */
export function maskForAudit(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => maskForAudit(item));
  if (value !== null && typeof value === 'object') {
    if (Buffer.isBuffer(value)) return MASK;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, SENSITIVE_KEY.test(key) ? MASK : maskForAudit(item)]),
    );
  }
  return value;
}
