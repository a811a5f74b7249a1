import type { BulkheadPoolConfig, BulkheadPoolName } from './bulkhead-pools';

/** The validated, typed configuration of the service. Built once by `loadConfig`. */
export type DeploymentEnvironment = 'development' | 'test' | 'staging' | 'production';

export interface DatabaseConfig {
  /** Absent in local development: the embedded PostgreSQL is started instead. */
  url: string | undefined;
  /**
   * A session-level connection for `migration:run` (its advisory lock lives in the session), for
   * when DATABASE_URL points at a transaction pooler. Falls back to `url`.
   */
  migrationUrl: string | undefined;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  ssl: 'disable' | 'require' | 'verify-full';
  /** PEM bundle the server certificate must chain to under `verify-full`, with the file it came from. */
  sslCa: { path: string; pem: string } | undefined;
  embedded: { dataDir: string; port: number };
  migrations: {
    lockTimeout: string;
    statementTimeout: string;
    lockWaitTimeoutMs: number;
    tableName: string;
  };
}

export interface RedisConfig {
  /** Absent: in-process fallbacks are used where Redis serves. */
  url: string | undefined;
  keyPrefix: string;
}

export interface SecretsConfig {
  jwtSecret: string;
  webhookSecret: string;
  stripeWebhookSecret: string;
}

export interface FeatureFlagDefaults {
  DETAILED_HEALTH_CHECKS: boolean;
  METRICS_ENDPOINT: boolean;
  LOAD_SHEDDING: boolean;
  BULKHEAD_PATTERN: boolean;
}

export interface HealthConfig {
  /** Readiness runs its checks at most once per interval; concurrent probes share one run. */
  intervalMs: number;
  databaseTimeoutMs: number;
  redisTimeoutMs: number;
  /** Off by default: a cache outage should degrade pods, not take every pod out of service. */
  redisCritical: boolean;
  memoryDegradedPercent: number;
  memoryUnhealthyPercent: number;
  /** CPU time used per CPU the container may use, over the last interval. */
  cpuDegradedLoad: number;
  eventLoopDelayDegradedMs: number;
}

export interface FeatureFlagRuntimeConfig {
  /** How often each instance re-reads the runtime overrides (Redis, else PostgreSQL). */
  refreshIntervalMs: number;
}

export interface AdminApiConfig {
  /** `x-internal-token` of the admin API until auth exists; unset = the admin API refuses everyone. */
  token: string | undefined;
}

/** Thresholds of the `sheddable` class; `default` tolerates twice as much, `critical` four times. */
export interface LoadSheddingConfig {
  /** How long the event loop may have been busy in one turn before requests are shed. */
  loopDelayMs: number;
  maxInFlight: number;
  /** V8 heap in use, % of its limit; `default` sheds halfway between this and 100, `critical` never. */
  heapPercent: number;
  /** Resident memory, % of the container's memory limit (the host's memory without a limit). */
  rssPercent: number;
}

export interface RateLimitConfig {
  default: { limit: number; ttlMs: number };
  strict: { limit: number; ttlMs: number };
  /** Routes under /webhooks/: per sender address and route, instead of `default` and `strict`. */
  webhook: { limit: number; ttlMs: number };
  /** A Redis answer slower than this fails open. */
  redisTimeoutMs: number;
}

export interface AuthConfig {
  /** HS256 keys: the current JWT_SECRET first, then JWT_SECRET_PREVIOUS while tokens signed with it live. */
  jwtSecrets: string[];
  issuer: string;
  audience: string;
}

export interface WebhooksConfig {
  /** STRIPE_WEBHOOK_SECRET (whsec_…): Stripe-Signature is checked against it. */
  stripeSecret: string;
  /** WEBHOOK_SECRET first, then WEBHOOK_SECRET_PREVIOUS while the platform still signs with it. */
  platformSecrets: string[];
}

export interface EncryptionConfig {
  /** AES-256-GCM key that encrypts new values; rows record which key sealed them. */
  key: Buffer;
  /** Keys of earlier rotations, still able to open rows until `keys:rotate` re-seals them. */
  previousKeys: Buffer[];
}

export interface DomainConfig {
  verificationValidityDays: number;
  /** How long a submitted verification may wait for its requirements before they are past due. */
  reviewDeadlineDays: number;
  /** Venues expecting at least this annual volume need two officers' approvals (four-eyes). */
  fourEyesMinAnnualVolumeCents: number;
  documentMaxBytes: number;
  idempotencyKeyTtlHours: number;
  /** Scores from which a risk assessment's level is monitor, manual_review and block (RISK_LEVEL_THRESHOLDS). */
  riskLevelThresholds: { monitor: number; manualReview: number; block: number };
}

export interface SanctionsConfig {
  /** The only folder `POST /api/v1/sanctions/imports` may read from; unset = imports over HTTP are off. */
  importDir: string | undefined;
  /** How often each instance checks which list versions are active, to swap its in-memory index. */
  listPollIntervalMs: number;
  /** Readiness reports `sanctions_list` degraded when the newest active list is older than this. */
  listMaxAgeHours: number;
  /** How long a false-positive decision suppresses the same hit before it must be reviewed again. */
  falsePositiveReviewDays: number;
  /** Lifetime of cached screening results (keys carry the list version, so a new list never reads old ones). */
  cacheTtlSeconds: number;
  /** Days an officer has to work a screening alert before it is overdue. */
  alertDueDays: number;
  /**
   * Verifications per `sanctions-rescreen-chunk` job, the unit a list activation's re-screen is
   * shared out in across instances. Tenants are never split: a larger tenant is a chunk of its own.
   */
  rescreenChunkVerifications: number;
  /** Name scores from which a hit is a POTENTIAL_MATCH and a MATCH (SANCTIONS_MATCH_THRESHOLDS). */
  matchThresholds: { potentialMatchThreshold: number; matchThreshold: number };
  /** The list the `sanctions-list-refresh` job downloads and imports; undefined (no SANCTIONS_SOURCE_URL) = not scheduled. */
  source: SanctionsSourceConfig | undefined;
}

export interface SanctionsSourceConfig {
  /**
   * `ofac`: the base URL under which sdn.csv, alt.csv, add.csv and sdn_comments.csv are fetched;
   * `opensanctions`: the targets.simple.csv file itself. May carry an access token: never logged.
   */
  url: string;
  format: 'ofac' | 'opensanctions';
  /** When the job runs (pg-boss cron, UTC). */
  cron: string;
  /** Per file, headers and body together. */
  timeoutMs: number;
  /** Per file: a larger download is refused (the importer holds a file in memory). */
  maxBytes: number;
}

export interface EventDeliveryConfig {
  /** One POST to a subscriber: longer counts as a failed attempt. */
  timeoutMs: number;
  /** First retry delay; doubled per failed attempt up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A delivery still failing this long after its event is dead-lettered (issue 12: 24 h). */
  maxAgeSeconds: number;
}

/** Retention periods in years, each with the rule it comes from (src/modules/privacy/retention-rules.ts). */
export interface RetentionConfig {
  /** 31 CFR 501.601 as amended in 2025: records of OFAC-related transactions, 10 years. */
  ofacYears: number;
  /** IRS records supporting a return: 3 years in general (26 U.S.C. 6501(a)). */
  irsRecordsYears: number;
  /** Copies of information returns (1099-K) and the payee's W-9: 4 years when backup withholding applied. */
  irsFormCopiesYears: number;
}

export interface PrivacyConfig {
  /** Lifetime of the signed link an access export is downloaded through. */
  exportLinkTtlSeconds: number;
  /** An access export not downloaded within this many days is deleted by the retention job. */
  exportKeepDays: number;
  /** Open requests due within this many days get one `privacy.request_due_soon` reminder. */
  reminderDays: number;
  retention: RetentionConfig;
}

export interface JobsConfig {
  /** false: this instance enqueues jobs but runs none (no workers, no cron, no maintenance): API-only pods. */
  workers: boolean;
  /** Connections of pg-boss's own pool, apart from the app's DATABASE_POOL_SIZE. */
  poolSize: number;
  /** How often each worker polls its queue when idle. */
  pollIntervalSeconds: number;
  /** How often an instance checks the cron schedules (one instance per interval does the work). */
  cronCheckIntervalSeconds: number;
}

/** `npm run smoke` (src/smoke): who it calls as. */
export interface SmokeConfig {
  /** A token for the smoke tenant; unset = minted from JWT_SECRET (refused in staging and production). */
  token: string | undefined;
  /** The only tenant the smoke suite writes in (its screenings); nothing else ever uses it. */
  tenantId: string;
}

/** Sentry (src/error-tracking). */
export interface ErrorTrackingConfig {
  /** Unset: the SDK is not started and nothing is sent. */
  dsn: string | undefined;
  /** Share of requests traced, 0–1; 0 loads no tracing instrumentation. */
  tracesSampleRate: number;
}

export interface AppConfig {
  environment: DeploymentEnvironment;
  version: string;
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    /** Addresses/CIDR blocks whose X-Forwarded-For is honoured; empty = the TCP peer is the client. */
    trustedProxies: string[];
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: DatabaseConfig;
  redis: RedisConfig;
  secrets: SecretsConfig;
  flags: FeatureFlagDefaults;
  featureFlags: FeatureFlagRuntimeConfig;
  admin: AdminApiConfig;
  loadShedding: LoadSheddingConfig;
  bulkheads: Record<BulkheadPoolName, BulkheadPoolConfig>;
  rateLimit: RateLimitConfig;
  health: HealthConfig;
  shutdown: { drainMs: number; timeoutMs: number };
  auth: AuthConfig;
  webhooks: WebhooksConfig;
  encryption: EncryptionConfig;
  domain: DomainConfig;
  sanctions: SanctionsConfig;
  jobs: JobsConfig;
  eventDelivery: EventDeliveryConfig;
  privacy: PrivacyConfig;
  smoke: SmokeConfig;
  /** Serve the OpenAPI document and Swagger UI at /docs (off in production unless API_DOCS=true). */
  apiDocs: boolean;
  errorTracking: ErrorTrackingConfig;
}
