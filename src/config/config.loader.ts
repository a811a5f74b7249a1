import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig, DatabaseConfig, DeploymentEnvironment, FeatureFlagDefaults, SecretsConfig } from './app-config';
import { bulkheadPools } from './bulkhead-pools';
import { checkDatabaseSettings } from './database-rules';
import { envSchema, type Env } from './env.schema';
import { resolveSecretFiles } from './secret-sources';

/** Thrown when the environment is invalid; lists every problem, one per line. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((problem) => `  - ${problem}`).join('\n'));
    this.name = 'ConfigValidationError';
  }
}

/** The deployment guide's flag table: staging enables three flags, production all four. */
const FLAG_DEFAULTS: Record<DeploymentEnvironment, FeatureFlagDefaults> = {
  development: { DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: false, BULKHEAD_PATTERN: false },
  test: { DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: false, BULKHEAD_PATTERN: false },
  staging: { DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: true, BULKHEAD_PATTERN: false },
  production: { DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: true, BULKHEAD_PATTERN: true },
};

/** Used only for local zero-config runs on the embedded database; production refuses it. */
export const DEVELOPMENT_PLACEHOLDER_SECRET = 'development-only-placeholder-secret-not-for-use';
const PLACEHOLDER_PATTERN = /^(changeme|change-me|change_me|secret|password|placeholder|example|test|todo|xxx+|development-only-.*)$/i;
const MIN_PRODUCTION_SECRET_LENGTH = 32;

const SECRET_VARIABLES: Array<[keyof SecretsConfig, 'JWT_SECRET' | 'WEBHOOK_SECRET' | 'STRIPE_WEBHOOK_SECRET']> = [
  ['jwtSecret', 'JWT_SECRET'],
  ['webhookSecret', 'WEBHOOK_SECRET'],
  ['stripeWebhookSecret', 'STRIPE_WEBHOOK_SECRET'],
];

/**
 * Reads and validates the whole environment. Collects every problem before failing, so one boot
 * attempt shows an operator everything that is wrong. Never includes secret values in messages.
 */
export interface LoadConfigOptions {
  /** Command-line tools that only touch the database (migrations, db:status) need no secrets. */
  requireSecrets?: boolean;
}

export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env, { requireSecrets = true }: LoadConfigOptions = {}): AppConfig {
  const withoutBlanks = Object.fromEntries(Object.entries(rawEnv).filter(([, value]) => value !== ''));
  const { env, problems } = resolveSecretFiles(withoutBlanks);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  // Checked on the raw values too, so a bad DATABASE_URL and a missing secret show up together.
  const environment = String(env.NODE_ENV ?? 'development');
  const secrets = resolveSecrets(env, environment, requireSecrets ? problems : []);
  checkOptionalSecret('ADMIN_API_TOKEN', env.ADMIN_API_TOKEN, environment, problems);
  checkOptionalSecret('WEBHOOK_SECRET_PREVIOUS', env.WEBHOOK_SECRET_PREVIOUS, environment, problems);
  const sslCa = checkDatabaseSettings(env, environment, problems);
  const encryptionKey = resolveEncryptionKey(parsed.success ? parsed.data.ENCRYPTION_KEY : undefined, env, environment, requireSecrets ? problems : []);
  if (problems.length > 0 || !parsed.success) throw new ConfigValidationError(problems);
  return toAppConfig(parsed.data, secrets, sslCa, encryptionKey);
}

/** Like the other secrets: a development key only for the zero-config local run. */
function resolveEncryptionKey(key: Buffer | undefined, env: Record<string, string | undefined>, environment: string, problems: string[]): Buffer {
  if (key !== undefined) return key;
  const placeholdersAllowed = env.DATABASE_URL === undefined && (environment === 'development' || environment === 'test');
  if (!placeholdersAllowed && env.ENCRYPTION_KEY === undefined) {
    problems.push('ENCRYPTION_KEY: required (set ENCRYPTION_KEY or ENCRYPTION_KEY_FILE; openssl rand -base64 32)');
  }
  return createHash('sha256').update(DEVELOPMENT_PLACEHOLDER_SECRET).digest();
}

/**
 * Placeholders are allowed only for the zero-config local run (embedded database, not staging or
 * production): once a real database is configured, the deployment must bring real secrets too.
 */
function resolveSecrets(
  env: Record<string, string | undefined>,
  environment: string,
  problems: string[],
): SecretsConfig {
  const placeholdersAllowed =
    env.DATABASE_URL === undefined && (environment === 'development' || environment === 'test');
  const strict = environment === 'production' || environment === 'staging';
  const secrets = {} as SecretsConfig;
  for (const [key, name] of SECRET_VARIABLES) {
    const value = env[name];
    if (value === undefined) {
      if (!placeholdersAllowed) problems.push(`${name}: required (set ${name} or ${name}_FILE)`);
      secrets[key] = DEVELOPMENT_PLACEHOLDER_SECRET;
      continue;
    }
    if (strict && (PLACEHOLDER_PATTERN.test(value) || value.length < MIN_PRODUCTION_SECRET_LENGTH)) {
      problems.push(`${name}: looks like a placeholder; ${environment} needs a random value of at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`);
    }
    secrets[key] = value;
  }
  return secrets;
}

/** An optional secret (the feature is off without it) still follows the strict rules when set. */
function checkOptionalSecret(name: string, value: string | undefined, environment: string, problems: string[]): void {
  if (value === undefined || (environment !== 'production' && environment !== 'staging')) return;
  if (PLACEHOLDER_PATTERN.test(value) || value.length < MIN_PRODUCTION_SECRET_LENGTH) {
    problems.push(`${name}: looks like a placeholder; ${environment} needs a random value of at least ${MIN_PRODUCTION_SECRET_LENGTH} characters`);
  }
}

function toAppConfig(values: Env, secrets: SecretsConfig, sslCa: DatabaseConfig['sslCa'], encryptionKey: Buffer): AppConfig {
  const flagDefaults = FLAG_DEFAULTS[values.NODE_ENV];
  return {
    environment: values.NODE_ENV,
    version: values.APP_VERSION ?? packageVersion(),
    http: {
      host: values.HOST,
      port: values.PORT,
      bodyLimitBytes: values.HTTP_BODY_LIMIT_BYTES,
      trustedProxies: values.TRUSTED_PROXIES,
    },
    logLevel: values.LOG_LEVEL,
    database: {
      url: values.DATABASE_URL,
      migrationUrl: values.MIGRATION_DATABASE_URL,
      poolSize: values.DATABASE_POOL_SIZE,
      statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: values.DATABASE_CONNECT_TIMEOUT_MS,
      ssl: values.DATABASE_SSL,
      sslCa,
      embedded: { dataDir: values.EMBEDDED_DATABASE_DIR, port: values.EMBEDDED_DATABASE_PORT },
      migrations: {
        lockTimeout: values.MIGRATION_LOCK_TIMEOUT,
        statementTimeout: values.MIGRATION_STATEMENT_TIMEOUT,
        lockWaitTimeoutMs: values.MIGRATION_LOCK_WAIT_TIMEOUT_MS,
        tableName: values.MIGRATIONS_TABLE,
      },
    },
    redis: { url: values.REDIS_URL, keyPrefix: values.REDIS_KEY_PREFIX },
    secrets,
    flags: {
      DETAILED_HEALTH_CHECKS: values.DETAILED_HEALTH_CHECKS ?? flagDefaults.DETAILED_HEALTH_CHECKS,
      METRICS_ENDPOINT: values.METRICS_ENDPOINT ?? flagDefaults.METRICS_ENDPOINT,
      LOAD_SHEDDING: values.LOAD_SHEDDING ?? flagDefaults.LOAD_SHEDDING,
      BULKHEAD_PATTERN: values.BULKHEAD_PATTERN ?? flagDefaults.BULKHEAD_PATTERN,
    },
    health: {
      intervalMs: values.HEALTH_CHECK_INTERVAL_MS,
      databaseTimeoutMs: values.HEALTH_DATABASE_TIMEOUT_MS,
      redisTimeoutMs: values.HEALTH_REDIS_TIMEOUT_MS,
      redisCritical: values.HEALTH_REDIS_CRITICAL,
      memoryDegradedPercent: values.HEALTH_MEMORY_DEGRADED_PERCENT,
      memoryUnhealthyPercent: values.HEALTH_MEMORY_UNHEALTHY_PERCENT,
      cpuDegradedLoad: values.HEALTH_CPU_DEGRADED_LOAD,
      eventLoopDelayDegradedMs: values.HEALTH_EVENT_LOOP_DELAY_DEGRADED_MS,
    },
    featureFlags: { refreshIntervalMs: values.FLAG_REFRESH_INTERVAL_MS },
    admin: { token: values.ADMIN_API_TOKEN },
    loadShedding: {
      loopDelayMs: values.LOAD_SHEDDING_LOOP_DELAY_MS,
      maxInFlight: values.LOAD_SHEDDING_MAX_IN_FLIGHT,
      heapPercent: values.LOAD_SHEDDING_HEAP_PERCENT,
      rssPercent: values.LOAD_SHEDDING_RSS_PERCENT,
    },
    bulkheads: bulkheadPools(values.BULKHEAD_POOLS ?? []),
    rateLimit: {
      default: { limit: values.RATE_LIMIT_DEFAULT_LIMIT, ttlMs: values.RATE_LIMIT_DEFAULT_TTL_MS },
      strict: { limit: values.RATE_LIMIT_STRICT_LIMIT, ttlMs: values.RATE_LIMIT_STRICT_TTL_MS },
      webhook: { limit: values.RATE_LIMIT_WEBHOOK_LIMIT, ttlMs: values.RATE_LIMIT_WEBHOOK_TTL_MS },
      redisTimeoutMs: values.RATE_LIMIT_REDIS_TIMEOUT_MS,
    },
    shutdown: { drainMs: values.SHUTDOWN_DRAIN_MS, timeoutMs: values.SHUTDOWN_TIMEOUT_MS },
    auth: {
      jwtSecrets: [secrets.jwtSecret, ...(values.JWT_SECRET_PREVIOUS === undefined ? [] : [values.JWT_SECRET_PREVIOUS])],
      issuer: values.JWT_ISSUER,
      audience: values.JWT_AUDIENCE,
    },
    webhooks: {
      stripeSecret: secrets.stripeWebhookSecret,
      platformSecrets: [secrets.webhookSecret, ...(values.WEBHOOK_SECRET_PREVIOUS === undefined ? [] : [values.WEBHOOK_SECRET_PREVIOUS])],
    },
    encryption: { key: encryptionKey, previousKeys: values.ENCRYPTION_KEY_PREVIOUS ?? [] },
    domain: {
      verificationValidityDays: values.VERIFICATION_VALIDITY_DAYS,
      reviewDeadlineDays: values.VERIFICATION_REVIEW_DEADLINE_DAYS,
      fourEyesMinAnnualVolumeCents: values.FOUR_EYES_MIN_ANNUAL_VOLUME_CENTS,
      documentMaxBytes: values.DOCUMENT_MAX_BYTES,
      idempotencyKeyTtlHours: values.IDEMPOTENCY_KEY_TTL_HOURS,
      riskLevelThresholds: values.RISK_LEVEL_THRESHOLDS,
    },
    sanctions: {
      importDir: values.SANCTIONS_IMPORT_DIR,
      listPollIntervalMs: values.SANCTIONS_LIST_POLL_INTERVAL_MS,
      listMaxAgeHours: values.SANCTIONS_LIST_MAX_AGE_HOURS,
      falsePositiveReviewDays: values.SANCTIONS_FALSE_POSITIVE_REVIEW_DAYS,
      cacheTtlSeconds: values.SANCTIONS_CACHE_TTL_SECONDS,
      alertDueDays: values.SANCTIONS_ALERT_DUE_DAYS,
      rescreenChunkVerifications: values.SANCTIONS_RESCREEN_CHUNK_VERIFICATIONS,
      matchThresholds: values.SANCTIONS_MATCH_THRESHOLDS,
      source:
        values.SANCTIONS_SOURCE_URL === undefined
          ? undefined
          : {
              url: values.SANCTIONS_SOURCE_URL,
              format: values.SANCTIONS_SOURCE_FORMAT,
              cron: values.SANCTIONS_SOURCE_CRON,
              timeoutMs: values.SANCTIONS_SOURCE_TIMEOUT_MS,
              maxBytes: values.SANCTIONS_SOURCE_MAX_BYTES,
            },
    },
    jobs: {
      workers: values.JOBS_WORKERS,
      poolSize: values.JOBS_DATABASE_POOL_SIZE,
      pollIntervalSeconds: values.JOBS_POLL_INTERVAL_SECONDS,
      cronCheckIntervalSeconds: values.JOBS_CRON_CHECK_INTERVAL_SECONDS,
    },
    eventDelivery: {
      timeoutMs: values.EVENT_DELIVERY_TIMEOUT_MS,
      retryBaseMs: values.EVENT_DELIVERY_RETRY_BASE_MS,
      retryMaxMs: values.EVENT_DELIVERY_RETRY_MAX_MS,
      maxAgeSeconds: values.EVENT_DELIVERY_MAX_AGE_SECONDS,
    },
    privacy: {
      exportLinkTtlSeconds: values.PRIVACY_EXPORT_LINK_TTL_SECONDS,
      exportKeepDays: values.PRIVACY_EXPORT_KEEP_DAYS,
      reminderDays: values.PRIVACY_REMINDER_DAYS,
      retention: { ofacYears: values.RETENTION_OFAC_YEARS, irsRecordsYears: values.RETENTION_IRS_RECORDS_YEARS, irsFormCopiesYears: values.RETENTION_IRS_FORM_COPIES_YEARS },
    },
    smoke: { token: values.SMOKE_TOKEN, tenantId: values.SMOKE_TENANT_ID },
    apiDocs: values.API_DOCS ?? values.NODE_ENV !== 'production',
    errorTracking: { dsn: values.SENTRY_DSN, tracesSampleRate: values.SENTRY_TRACES_SAMPLE_RATE },
  };
}

/** src/config and dist/config both sit two levels below the package root. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
