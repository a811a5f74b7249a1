import { runCompiled } from './helpers/cli';
import { freePort } from './helpers/free-port';
import { redisAvailable } from './helpers/test-app';
import { requireEnv } from './helpers/test-database';

describe('runbook commands (npm run db:status, npm run redis:ping)', () => {
  it('db:status reports the readiness ping, server version and that every migration is applied', async () => {
    const result = await runCompiled('database/db-status.cli.js', [], { DATABASE_URL: requireEnv('TEST_APP_DATABASE_URL') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/readiness ping: healthy in \d+ ms/);
    expect(result.stdout).toMatch(/server version: \d+/);
    expect(result.stdout).toContain('migrations:     all applied');
  });

  it('db:status fails with the reason when the database is unreachable', async () => {
    const result = await runCompiled('database/db-status.cli.js', [], { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/compliance_test_none` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  (redisAvailable ? it : it.skip)('redis:ping answers PONG with its latency', async () => {
    const result = await runCompiled('redis/redis-ping.cli.js', [], { REDIS_URL: process.env.TEST_REDIS_URL });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PONG from 127\.0\.0\.1:6379 in \d+ ms/);
  });

  it('redis:ping says when Redis is unreachable and when it is not configured', async () => {
    const unreachable = await runCompiled('redis/redis-ping.cli.js', [], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/is degraded: not connected/);
    const unset = await runCompiled('redis/redis-ping.cli.js', [], {});
    expect(unset.code).toBe(0);
    expect(unset.stdout).toContain('Redis is not configured');
  });
});
