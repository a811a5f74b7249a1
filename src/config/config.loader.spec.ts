import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblemsOf } from './config-problems';
import { DEVELOPMENT_PLACEHOLDER_SECRET, loadConfig } from './config.loader';

const REAL_SECRETS = {
  JWT_SECRET: 'a'.repeat(40),
  WEBHOOK_SECRET: 'b'.repeat(40),
  STRIPE_WEBHOOK_SECRET: 'c'.repeat(40),
  ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
};


describe('loadConfig', () => {
  it('starts with no configuration at all on the embedded database with placeholder secrets', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3008);
    expect(config.database.url).toBeUndefined();
    expect(config.secrets.jwtSecret).toBe(DEVELOPMENT_PLACEHOLDER_SECRET);
    expect(config.environment).toBe('development');
  });

  it('lists a missing JWT_SECRET and an invalid DATABASE_URL in one error', () => {
    const problems = configProblemsOf({ DATABASE_URL: 'nonsense', WEBHOOK_SECRET: 'x', STRIPE_WEBHOOK_SECRET: 'y', ENCRYPTION_KEY: REAL_SECRETS.ENCRYPTION_KEY });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DATABASE_URL: must be a URL/), expect.stringMatching(/^JWT_SECRET: required/)]),
    );
    expect(problems).toHaveLength(2);
  });

  it('names every invalid variable, not only the first', () => {
    const problems = configProblemsOf({ PORT: '99999', DATABASE_POOL_SIZE: 'many', LOAD_SHEDDING: 'maybe', REDIS_URL: 'http://x' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['DATABASE_POOL_SIZE', 'LOAD_SHEDDING', 'PORT', 'REDIS_URL']);
  });

  it('requires a 32-byte ENCRYPTION_KEY once a database is configured, in hex or base64', () => {
    const configured = { DATABASE_URL: 'postgres://db/x', JWT_SECRET: REAL_SECRETS.JWT_SECRET, WEBHOOK_SECRET: REAL_SECRETS.WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET: REAL_SECRETS.STRIPE_WEBHOOK_SECRET };
    expect(configProblemsOf(configured)).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: required/)]);
    expect(configProblemsOf({ ...configured, ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: must be 32 random bytes/)]);
    expect(loadConfig({ ...configured, ENCRYPTION_KEY: 'ab'.repeat(32) }).encryption.key).toEqual(Buffer.alloc(32, 0xab));
    expect(loadConfig({ ...configured, ENCRYPTION_KEY: REAL_SECRETS.ENCRYPTION_KEY }).encryption.key).toEqual(Buffer.alloc(32, 9));
  });

  it('never puts a secret value into its messages', () => {
    const secret = 'short-but-secret-value';
    const problems = configProblemsOf({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', JWT_SECRET: secret, WEBHOOK_SECRET: secret, STRIPE_WEBHOOK_SECRET: secret, ENCRYPTION_KEY: REAL_SECRETS.ENCRYPTION_KEY });
    expect(problems.join('\n')).not.toContain(secret);
    expect(problems).toHaveLength(3);
  });

  it('refuses the embedded database and placeholder secrets in production', () => {
    const problems = configProblemsOf({ NODE_ENV: 'production', JWT_SECRET: 'changeme', WEBHOOK_SECRET: REAL_SECRETS.WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET: REAL_SECRETS.STRIPE_WEBHOOK_SECRET });
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^DATABASE_URL: required in production/), expect.stringMatching(/^JWT_SECRET: looks like a placeholder/)]),
    );
  });

  it('reads every secret from a NAME_FILE mount, without the trailing newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' };
    for (const [name, value] of Object.entries({ ...REAL_SECRETS, DATABASE_URL: 'postgres://db.internal:5432/compliance', REDIS_URL: 'redis://cache:6379' })) {
      writeFileSync(join(dir, name), `${value}\n`);
      env[`${name}_FILE`] = join(dir, name);
    }
    const config = loadConfig(env);
    expect(config.database.url).toBe('postgres://db.internal:5432/compliance');
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.secrets).toEqual({ jwtSecret: REAL_SECRETS.JWT_SECRET, webhookSecret: REAL_SECRETS.WEBHOOK_SECRET, stripeWebhookSecret: REAL_SECRETS.STRIPE_WEBHOOK_SECRET });
    expect(config.encryption.key).toEqual(Buffer.alloc(32, 9));
  });

  it('rejects a secret given both directly and as a file, and an unreadable file', () => {
    const problems = configProblemsOf({ JWT_SECRET: 'x', JWT_SECRET_FILE: '/etc/hostname', WEBHOOK_SECRET_FILE: '/nonexistent/secret' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'JWT_SECRET: set both JWT_SECRET and JWT_SECRET_FILE; set only one',
        expect.stringMatching(/^WEBHOOK_SECRET_FILE: cannot read \/nonexistent\/secret \(ENOENT\)/),
      ]),
    );
  });

  it('defaults feature flags per environment as the deployment guide lists them', () => {
    const staging = loadConfig({ NODE_ENV: 'staging', DATABASE_URL: 'postgres://db/x', ...REAL_SECRETS }).flags;
    const production = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', ...REAL_SECRETS }).flags;
    expect(staging).toEqual({ DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: true, BULKHEAD_PATTERN: false });
    expect(production).toEqual({ DETAILED_HEALTH_CHECKS: true, METRICS_ENDPOINT: true, LOAD_SHEDDING: true, BULKHEAD_PATTERN: true });
    expect(loadConfig({ METRICS_ENDPOINT: 'off', LOAD_SHEDDING: 'YES' }).flags).toMatchObject({ METRICS_ENDPOINT: false, LOAD_SHEDDING: true });
  });

  it('accepts the platform\'s previous webhook secret beside the current one, under the same rules', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', ...REAL_SECRETS };
    expect(loadConfig({ ...production, WEBHOOK_SECRET_PREVIOUS: 'd'.repeat(40) }).webhooks.platformSecrets).toEqual([REAL_SECRETS.WEBHOOK_SECRET, 'd'.repeat(40)]);
    expect(loadConfig(production).webhooks.platformSecrets).toEqual([REAL_SECRETS.WEBHOOK_SECRET]);
    expect(configProblemsOf({ ...production, WEBHOOK_SECRET_PREVIOUS: 'changeme' })).toEqual([expect.stringMatching(/^WEBHOOK_SECRET_PREVIOUS: looks like a placeholder/)]);
  });

  it('reads SENTRY_DSN from a file, leaves error tracking off for an empty one, and bounds the trace sample rate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentry-'));
    writeFileSync(join(dir, 'dsn'), 'https://publickey@o1.ingest.sentry.io/42\n');
    writeFileSync(join(dir, 'empty'), '');
    expect(loadConfig({ SENTRY_DSN_FILE: join(dir, 'dsn'), SENTRY_TRACES_SAMPLE_RATE: '0.05' }).errorTracking).toEqual({ dsn: 'https://publickey@o1.ingest.sentry.io/42', tracesSampleRate: 0.05 });
    expect(loadConfig({ SENTRY_DSN_FILE: join(dir, 'empty') }).errorTracking).toEqual({ dsn: undefined, tracesSampleRate: 0 });
    expect(configProblemsOf({ SENTRY_DSN: 'not a url', SENTRY_TRACES_SAMPLE_RATE: '2' })).toEqual([
      expect.stringMatching(/^SENTRY_DSN: must be a URL/),
      expect.stringMatching(/^SENTRY_TRACES_SAMPLE_RATE: /),
    ]);
  });

  it('reads the sanctions match thresholds as a pair within 0–1, the potential-match score not above the match score', () => {
    expect(loadConfig({}).sanctions.matchThresholds).toEqual({ potentialMatchThreshold: 0.75, matchThreshold: 0.85 });
    expect(loadConfig({ SANCTIONS_MATCH_THRESHOLDS: '0.7,0.9' }).sanctions.matchThresholds).toEqual({ potentialMatchThreshold: 0.7, matchThreshold: 0.9 });
    for (const value of ['0.9,0.7', '0.75', '1.5,0.9', '75,85', '0.7;0.9']) {
      expect(configProblemsOf({ SANCTIONS_MATCH_THRESHOLDS: value })).toEqual([expect.stringMatching(/^SANCTIONS_MATCH_THRESHOLDS: /)]);
    }
  });

  it('treats empty variables as unset, as Kubernetes often passes them', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).http.port).toBe(3008);
  });

  it('refuses staging without DATABASE_URL: the embedded database is for development and tests only', () => {
    expect(configProblemsOf({ NODE_ENV: 'staging', ...REAL_SECRETS })).toEqual([
      'DATABASE_URL: required in staging (the embedded database is for local development and tests only)',
    ]);
    expect(loadConfig({ NODE_ENV: 'test' }).database.url).toBeUndefined();
  });

  it('refuses DATABASE_SSL=verify-full without a readable CA bundle, and reads the bundle when there is one', () => {
    const base = { DATABASE_URL: 'postgres://db/x', ...REAL_SECRETS, DATABASE_SSL: 'verify-full' };
    expect(configProblemsOf(base)).toEqual([expect.stringMatching(/^DATABASE_SSL_CA_FILE: required with DATABASE_SSL=verify-full/)]);
    expect(configProblemsOf({ ...base, DATABASE_SSL_CA_FILE: '/nonexistent/ca.pem' })).toEqual(['DATABASE_SSL_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)']);
    const dir = mkdtempSync(join(tmpdir(), 'ca-'));
    writeFileSync(join(dir, 'not-pem'), 'hello');
    expect(configProblemsOf({ ...base, DATABASE_SSL_CA_FILE: join(dir, 'not-pem') })).toEqual([expect.stringMatching(/holds no PEM certificate/)]);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    writeFileSync(join(dir, 'ca.pem'), pem);
    expect(loadConfig({ ...base, DATABASE_SSL_CA_FILE: join(dir, 'ca.pem') }).database.sslCa).toEqual({ path: join(dir, 'ca.pem'), pem });
    expect(configProblemsOf({ ...base, DATABASE_SSL: 'require', DATABASE_SSL_CA_FILE: join(dir, 'ca.pem') })).toEqual([
      'DATABASE_SSL_CA_FILE: only used with DATABASE_SSL=verify-full (DATABASE_SSL is require)',
    ]);
  });

  it('accepts exactly the PostgreSQL durations the migration session can be given, without spaces', () => {
    for (const [given, used] of [['10s', '10s'], ['10 s', '10s'], [' 500ms ', '500ms'], ['1min', '1min'], ['0', '0']]) {
      expect(loadConfig({ MIGRATION_LOCK_TIMEOUT: given }).database.migrations.lockTimeout).toBe(used);
    }
    for (const wrong of ['10 sec', '10S', '-1s', '10s;', '1.5s', 's']) {
      expect(configProblemsOf({ MIGRATION_LOCK_TIMEOUT: wrong })).toEqual([expect.stringMatching(/^MIGRATION_LOCK_TIMEOUT: must be a PostgreSQL duration/)]);
    }
  });
});
