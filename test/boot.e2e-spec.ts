import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompiled } from './helpers/cli';
import { freePort } from './helpers/free-port';
import { ServiceProcess } from './helpers/service-process';

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('booting the service (node dist/index.js)', () => {
  it('refuses to start with a missing JWT_SECRET and a nonsense DATABASE_URL, naming both', async () => {
    const result = await runCompiled('index.js', [], { DATABASE_URL: 'nonsense', WEBHOOK_SECRET: 'w', STRIPE_WEBHOOK_SECRET: 's', ENCRYPTION_KEY: 'ab'.repeat(32) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (2 problems)');
    expect(result.stderr).toContain('DATABASE_URL: must be a URL starting with postgres:// or postgresql://');
    expect(result.stderr).toContain('JWT_SECRET: required (set JWT_SECRET or JWT_SECRET_FILE)');
  });

  describe('with no DATABASE_URL (embedded PostgreSQL)', () => {
    // The embedded server runs as the `postgres` user when we are root: its folder must be reachable.
    const root = mkdtempSync(join(tmpdir(), 'compliance-embedded-'));
    chmodSync(root, 0o755);
    const dataDir = join(root, 'postgres');

    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('starts, migrates, recovers from a SIGKILL and leaves no server behind after SIGTERM', async () => {
      const [httpPort, databasePort] = [await freePort(), await freePort()];
      const env = { PORT: String(httpPort), HOST: '127.0.0.1', EMBEDDED_DATABASE_DIR: dataDir, EMBEDDED_DATABASE_PORT: String(databasePort), SHUTDOWN_DRAIN_MS: '0' };
      const live = `http://127.0.0.1:${httpPort}/health/live`;

      const first = new ServiceProcess(env);
      await first.waitFor(live);
      expect(first.output.join('')).toContain('Applied IndexAuditLogByTenantAndTime1795651260000');
      first.kill('SIGKILL');
      await first.exited;
      const orphan = postmasterPid(dataDir);
      expect(orphan !== undefined && isAlive(orphan)).toBe(true);

      const second = new ServiceProcess(env);
      await second.waitFor(live);
      expect(second.output.join('')).toContain(`Stopping orphaned embedded PostgreSQL (pid ${orphan})`);
      expect(second.output.join('')).toContain('No pending migrations');
      const server = postmasterPid(dataDir) as number;
      second.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: 0, signal: null });
      expect(isAlive(server)).toBe(false);
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    }, 60_000);
  });
});
