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
  /** A Redis answer slower than this fails open. */
  redisTimeoutMs: number;
}

export interface AppConfig {
  environment: DeploymentEnvironment;
  version: string;
  http: { host: string; port: number; bodyLimitBytes: number; trustProxyHops: number };
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
}
