import { toLoggableError } from '../common/loggable-error';

export const REDACTED = '[redacted]';

/** Header and field names whose values are secrets or tax ids wherever they appear. */
const SECRET_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'ein', 'tin']);
/** Matched on the lower-cased key: `accessToken`, `client_secret`, `newPassword`, `x-internal-token`, `stripe-signature`. */
const SECRET_KEY_PATTERN = /(password|secret|token$|-signature$)/;
/** Deeper than this, objects are replaced rather than walked: a log line is not a data dump. */
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_KEY_PATTERN.test(lower);
}

/**
 * A copy of `value` with every secret-named key's value replaced, at any depth (pino's `redact`
 * paths match fixed depths: `*.token` finds `{ a: { token } }` but not `{ a: { b: { token } } }`).
 * Errors become LoggableError fields, so bound query values and driver details never reach a log.
 * Objects with `toJSON` are scrubbed in the form JSON.stringify would write them.
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return toLoggableError(value);
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    const json = (value as { toJSON?: unknown }).toJSON;
    if (typeof json === 'function') return redactSecrets(json.call(value), depth, seen);
    if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * pino's `formatters.log`: runs on each line's merged object before serializers. Errors leave under
 * `error`, never `err`: pino-http wraps any `err` serializer in pino-std-serializers' own, which
 * copies every enumerable field of an error back into the line.
 */
export function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const { err, ...rest } = object;
  const redacted = redactSecrets(rest) as Record<string, unknown>;
  if (err !== undefined && redacted.error === undefined) redacted.error = err instanceof Error ? toLoggableError(err) : redactSecrets(err);
  return redacted;
}
