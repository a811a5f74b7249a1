import { z } from 'zod';
import { BULKHEAD_POOL_NAMES, type BulkheadPoolName, type BulkheadPoolOverride, isBulkheadPoolName } from './bulkhead-pools';
import { invalidCidrs, parseTrustedProxies } from './trusted-proxies';
import { DEFAULT_MATCH_THRESHOLDS } from '../modules/sanctions/matching/match-thresholds';

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false,
};

const booleanFlag = z
  .string()
  .toLowerCase()
  .refine((value) => value in BOOLEAN_WORDS, { message: 'must be true or false (also 1/0, yes/no, on/off)' })
  .transform((value) => BOOLEAN_WORDS[value]);

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().min(0);
/**
 * A PostgreSQL time setting such as `10s`, `500ms` or `1min`: a whole number and one of the units
 * PostgreSQL accepts for time settings (case-sensitive). PostgreSQL also allows spaces before the
 * unit (`10 s`); they are dropped here, because the value travels in libpq's `options` string,
 * where a space separates arguments.
 */
const pgDuration = z
  .string()
  .trim()
  .regex(/^\d+ *(us|ms|s|min|h|d)?$/, { message: 'must be a PostgreSQL duration such as 10s, 500ms or 1min' })
  .transform((value) => value.replace(/ +/g, ''));

/** AES-256 key: 32 bytes as 64 hex digits or base64 (`openssl rand -base64 32`). */
const encryptionKey = z
  .string()
  .transform((value) => (/^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')))
  .refine((key) => key.length === 32, { message: 'must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32)' });

/** Five fields, as pg-boss schedules take them; pg-boss's cron parser rejects a bad field at start. */
const cronExpression = z
  .string()
  .trim()
  .regex(/^\S+( +\S+){4}$/, { message: 'must be a five-field cron expression such as 0 6 * * *' })
  .transform((value) => value.replace(/ +/g, ' '));

function urlWithScheme(schemes: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${schemes.map((scheme) => `${scheme}://`).join(' or ')}` },
  );
}

/**
 * `BULKHEAD_POOLS=ofac=4/16/250,privacy=1/4/2000`: per pool `concurrent/queue/queueTimeoutMs`,
 * overriding the defaults of the pools named (bulkhead-pools.ts lists the pools and why).
 */
const bulkheadPools = z
  .string()
  .regex(/^[a-z]+=[1-9]\d*\/\d+\/[1-9]\d*(,[a-z]+=[1-9]\d*\/\d+\/[1-9]\d*)*$/, {
    message: 'must look like ofac=4/16/250,risk=4/16/250 (concurrent ≥ 1 / queue / queueTimeoutMs ≥ 1)',
  })
  .refine((value) => value.split(',').every((entry) => isBulkheadPoolName(entry.split('=')[0] ?? '')), {
    message: `names a pool that does not exist (pools: ${BULKHEAD_POOL_NAMES.join(', ')})`,
  })
  .transform((value) =>
    value.split(',').map((entry): BulkheadPoolOverride => {
      const [pool = '', sizes = ''] = entry.split('=');
      const [concurrent = 0, queue = 0, queueTimeoutMs = 0] = sizes.split('/').map(Number);
      return { pool: pool as BulkheadPoolName, concurrent, queue, queueTimeoutMs };
    }),
  );

/** `10.0.0.0/8,fd00::/8`: each entry an IPv4/IPv6 address or CIDR block (trusted-proxies.ts says why). */
const trustedProxies = z
  .string()
  .superRefine((value, context) => {
    for (const entry of invalidCidrs(value)) {
      context.addIssue({ code: 'custom', message: `${JSON.stringify(entry.slice(0, 64))} is not an IP address or CIDR block (e.g. 10.0.0.0/8, fd00::/8, 192.0.2.10)` });
    }
  })
  .transform(parseTrustedProxies);

/**
 * `RISK_LEVEL_THRESHOLDS=30,50,70`: the scores from which a risk assessment's level is `monitor`,
 * `manual_review` and `block` (below the first: `approve`); strictly ascending, within 1–100.
 */
const riskLevelThresholds = z
  .string()
  .regex(/^\d{1,3},\d{1,3},\d{1,3}$/, { message: 'must be three scores such as 30,50,70 (monitor, manual_review, block)' })
  .transform((value) => value.split(',').map(Number) as [number, number, number])
  .refine(([monitor, manualReview, block]) => monitor >= 1 && monitor < manualReview && manualReview < block && block <= 100, {
    message: 'must be strictly ascending scores within 1–100 (monitor < manual_review < block)',
  })
  .transform(([monitor, manualReview, block]) => ({ monitor, manualReview, block }));

/**
 * `SANCTIONS_MATCH_THRESHOLDS=0.75,0.85`: the name scores from which a hit is a POTENTIAL_MATCH
 * (an alert) and a MATCH; within 0–1, the first at most the second. The defaults and the
 * evaluation that chose them are in src/modules/sanctions/matching/match-thresholds.ts.
 */
const sanctionsMatchThresholds = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?),(0(\.\d+)?|1(\.0+)?)$/, { message: 'must be two scores within 0–1 such as 0.75,0.85 (potential match, match)' })
  .transform((value) => value.split(',').map(Number) as [number, number])
  .refine(([potentialMatch, match]) => potentialMatch <= match, { message: 'the potential-match score must not exceed the match score' })
  .transform(([potentialMatchThreshold, matchThreshold]) => ({ potentialMatchThreshold, matchThreshold }));

/** Every environment variable the service reads, with its default. The README table mirrors this. */
/** The smoke suite's tenant (`npm run smoke`): fixed, so production's smoke records stay in one place. */
export const DEFAULT_SMOKE_TENANT_ID = '5e0ce000-0000-4000-8000-00000000f00d';

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'staging', 'production']).default('development'),
  APP_VERSION: z.string().optional(),
  HOST: z.string().default('0.0.0.0'),
  PORT: port.default(3008),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  TRUSTED_PROXIES: trustedProxies.default([]),
  /** Replaced by TRUSTED_PROXIES: refused rather than ignored, so a deployment cannot silently stop trusting its ingress. */
  TRUST_PROXY_HOPS: z.never({ message: 'no longer supported: list the proxies in front of the service in TRUSTED_PROXIES (comma-separated CIDR blocks, e.g. 10.0.0.0/8)' }).optional(),

  DATABASE_URL: urlWithScheme(['postgres', 'postgresql']).optional(),
  MIGRATION_DATABASE_URL: urlWithScheme(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.default(30_000),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_SSL_CA_FILE: z.string().optional(),
  EMBEDDED_DATABASE_DIR: z.string().default('.data/postgres'),
  EMBEDDED_DATABASE_PORT: port.default(54320),
  MIGRATION_LOCK_TIMEOUT: pgDuration.default('10s'),
  MIGRATION_STATEMENT_TIMEOUT: pgDuration.default('60s'),
  MIGRATION_LOCK_WAIT_TIMEOUT_MS: positiveInt.default(600_000),
  MIGRATIONS_TABLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('migrations'),

  REDIS_URL: urlWithScheme(['redis', 'rediss']).optional(),
  REDIS_KEY_PREFIX: z.string().default('compliance:'),

  JWT_SECRET: z.string().optional(),
  WEBHOOK_SECRET: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),

  DETAILED_HEALTH_CHECKS: booleanFlag.optional(),
  METRICS_ENDPOINT: booleanFlag.optional(),
  LOAD_SHEDDING: booleanFlag.optional(),
  BULKHEAD_PATTERN: booleanFlag.optional(),

  HEALTH_CHECK_INTERVAL_MS: positiveInt.default(1_000),
  HEALTH_DATABASE_TIMEOUT_MS: positiveInt.default(1_000),
  HEALTH_REDIS_TIMEOUT_MS: positiveInt.default(500),
  HEALTH_REDIS_CRITICAL: booleanFlag.default(false),
  HEALTH_MEMORY_DEGRADED_PERCENT: z.coerce.number().min(1).max(100).default(85),
  HEALTH_MEMORY_UNHEALTHY_PERCENT: z.coerce.number().min(1).max(100).default(95),
  HEALTH_CPU_DEGRADED_LOAD: z.coerce.number().positive().default(0.9),
  HEALTH_EVENT_LOOP_DELAY_DEGRADED_MS: positiveInt.default(200),

  ADMIN_API_TOKEN: z.string().optional(),
  FLAG_REFRESH_INTERVAL_MS: positiveInt.default(1_000),

  LOAD_SHEDDING_LOOP_DELAY_MS: positiveInt.default(50),
  LOAD_SHEDDING_MAX_IN_FLIGHT: positiveInt.default(100),
  LOAD_SHEDDING_HEAP_PERCENT: z.coerce.number().min(1).max(100).default(90),
  LOAD_SHEDDING_RSS_PERCENT: z.coerce.number().min(1).max(100).default(90),
  BULKHEAD_POOLS: bulkheadPools.optional(),

  RATE_LIMIT_DEFAULT_LIMIT: positiveInt.default(300),
  RATE_LIMIT_DEFAULT_TTL_MS: positiveInt.default(60_000),
  RATE_LIMIT_STRICT_LIMIT: positiveInt.default(30),
  RATE_LIMIT_STRICT_TTL_MS: positiveInt.default(60_000),
  RATE_LIMIT_WEBHOOK_LIMIT: positiveInt.default(600),
  RATE_LIMIT_WEBHOOK_TTL_MS: positiveInt.default(60_000),
  RATE_LIMIT_REDIS_TIMEOUT_MS: positiveInt.default(100),

  SHUTDOWN_DRAIN_MS: nonNegativeInt.default(5_000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25_000),

  JWT_SECRET_PREVIOUS: z.string().optional(),
  /** The platform's previous webhook signing secret, accepted beside WEBHOOK_SECRET during a rotation. */
  WEBHOOK_SECRET_PREVIOUS: z.string().optional(),
  JWT_ISSUER: z.string().min(1).default('ticketing-platform'),
  JWT_AUDIENCE: z.string().min(1).default('compliance-service'),
  ENCRYPTION_KEY: encryptionKey.optional(),
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(encryptionKey))
    .optional(),
  API_DOCS: booleanFlag.optional(),
  VERIFICATION_VALIDITY_DAYS: positiveInt.default(365),
  VERIFICATION_REVIEW_DEADLINE_DAYS: positiveInt.default(14),
  FOUR_EYES_MIN_ANNUAL_VOLUME_CENTS: nonNegativeInt.default(5_000_000),
  DOCUMENT_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  IDEMPOTENCY_KEY_TTL_HOURS: positiveInt.default(24),
  SANCTIONS_IMPORT_DIR: z.string().min(1).optional(),
  SANCTIONS_LIST_POLL_INTERVAL_MS: positiveInt.default(5_000),
  SANCTIONS_LIST_MAX_AGE_HOURS: positiveInt.default(48),
  SANCTIONS_FALSE_POSITIVE_REVIEW_DAYS: positiveInt.default(365),
  SANCTIONS_CACHE_TTL_SECONDS: positiveInt.default(86_400),
  SANCTIONS_RESCREEN_CHUNK_VERIFICATIONS: positiveInt.default(500),
  SANCTIONS_MATCH_THRESHOLDS: sanctionsMatchThresholds.default(DEFAULT_MATCH_THRESHOLDS),
  /** Where the `sanctions-list-refresh` job downloads the list; unset = the job is not scheduled. May carry a token (a secret). */
  SANCTIONS_SOURCE_URL: urlWithScheme(['https', 'http']).optional(),
  SANCTIONS_SOURCE_FORMAT: z.enum(['ofac', 'opensanctions']).default('ofac'),
  SANCTIONS_SOURCE_CRON: cronExpression.default('0 6 * * *'),
  SANCTIONS_SOURCE_TIMEOUT_MS: positiveInt.default(120_000),
  SANCTIONS_SOURCE_MAX_BYTES: positiveInt.default(128 * 1024 * 1024),
  /** Where errors are reported (src/error-tracking); unset = nothing is sent. Carries the project's key (a secret). */
  SENTRY_DSN: urlWithScheme(['https', 'http']).optional(),
  SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
  PRIVACY_EXPORT_LINK_TTL_SECONDS: positiveInt.max(86_400).default(900),
  PRIVACY_EXPORT_KEEP_DAYS: positiveInt.default(30),
  PRIVACY_REMINDER_DAYS: positiveInt.default(7),
  RETENTION_OFAC_YEARS: positiveInt.default(10),
  RETENTION_IRS_RECORDS_YEARS: positiveInt.default(3),
  RETENTION_IRS_FORM_COPIES_YEARS: positiveInt.default(4),
  RISK_LEVEL_THRESHOLDS: riskLevelThresholds.default({ monitor: 30, manualReview: 50, block: 70 }),

  JOBS_WORKERS: booleanFlag.default(true),
  JOBS_DATABASE_POOL_SIZE: positiveInt.default(3),
  // pg-boss's own bounds: polling at least every 0.5 s, cron checks every 1-45 s.
  JOBS_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  JOBS_CRON_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(45).default(30),
  SANCTIONS_ALERT_DUE_DAYS: positiveInt.default(7),
  EVENT_DELIVERY_TIMEOUT_MS: positiveInt.default(5_000),
  EVENT_DELIVERY_RETRY_BASE_MS: positiveInt.default(10_000),
  EVENT_DELIVERY_RETRY_MAX_MS: positiveInt.default(3_600_000),
  EVENT_DELIVERY_MAX_AGE_SECONDS: positiveInt.default(86_400),
  /** `npm run smoke`: a bearer token for the smoke tenant (from the identity provider; a secret). */
  SMOKE_TOKEN: z.string().min(1).optional(),
  SMOKE_TENANT_ID: z.uuid({ message: 'must be a UUID' }).default(DEFAULT_SMOKE_TENANT_ID),
});

export type Env = z.infer<typeof envSchema>;
