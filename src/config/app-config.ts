/** The validated, typed configuration of the service. Built once by `loadConfig`. */
export type DeploymentEnvironment = 'development' | 'test' | 'staging' | 'production';

export interface DatabaseConfig {
  /** Absent in local development: the embedded PostgreSQL is started instead. */
  url: string | undefined;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  ssl: 'disable' | 'require' | 'verify-full';
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

export interface AppConfig {
  environment: DeploymentEnvironment;
  version: string;
  http: { host: string; port: number; bodyLimitBytes: number; trustProxyHops: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  database: DatabaseConfig;
  redis: RedisConfig;
  secrets: SecretsConfig;
  flags: FeatureFlagDefaults;
  health: HealthConfig;
  shutdown: { drainMs: number; timeoutMs: number };
}
